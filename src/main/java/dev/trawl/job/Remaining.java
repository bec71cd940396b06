package dev.trawl.job;

import java.util.BitSet;
import java.util.function.Consumer;

/**
 * A resumed job's requests: its source from the start, less those that already have their line
 * in the results file. Each request passed over is shown to {@code onSkipped} (a crawl still
 * counts it as seen).
 */
final class Remaining implements RequestSource {

  private final RequestSource all;
  private final BitSet done;
  private final Consumer<RequestSpec> onSkipped;

  Remaining(RequestSource all, BitSet done, Consumer<RequestSpec> onSkipped) {
    this.all = all;
    this.done = done;
    this.onSkipped = onSkipped;
  }

  @Override
  public RequestSpec poll() {
    RequestSpec next = all.poll();
    while (next != null && next.index() < Integer.MAX_VALUE && done.get((int) next.index())) {
      onSkipped.accept(next);
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
