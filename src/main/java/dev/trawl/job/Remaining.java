package dev.trawl.job;

import java.util.BitSet;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A resumed job's requests: its source from the start, less those that already have their line
 * in the results file. Each request passed over is shown to {@code onSkipped} (a crawl still
 * counts it as seen).
 */
final class Remaining implements RequestSource {

  /** Requests passed over in one poll at most: the rest on a later turn, so the event loop is not held. */
  static final int SKIPS_PER_POLL = 2048;

  private final RequestSource all;
  private final BitSet done;
  private final Consumer<RequestSpec> onSkipped;
  private final Executor later;
  private Runnable listener = () -> { };

  /** @param later runs a task on a later turn of the job's event loop */
  Remaining(RequestSource all, BitSet done, Consumer<RequestSpec> onSkipped, Executor later) {
    this.all = all;
    this.done = done;
    this.onSkipped = onSkipped;
    this.later = later;
  }

  @Override
  public RequestSpec poll() {
    RequestSpec next = all.poll();
    int skipped = 0;
    while (next != null && next.index() < Integer.MAX_VALUE && done.get((int) next.index())) {
      onSkipped.accept(next);
      if (++skipped == SKIPS_PER_POLL) {
        later.execute(listener); // more may be ready: the job is pumped again then
        return null;
      }
      next = all.poll();
    }
    return next;
  }

  @Override
  public boolean exhausted() {
    return all.exhausted();
  }

  @Override
  public void onReady(Runnable listener) {
    this.listener = listener;
    all.onReady(listener);
  }

  @Override
  public void onError(Consumer<Throwable> listener) {
    all.onError(listener);
  }

  @Override
  public void close() {
    all.close();
  }
}
