package dev.trawl.job;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The job-level futures a mode is decided by, fed one result at a time. They give the semantics
 * of {@code Future.join / all / any} over every request of the job without ever holding a
 * future per request: a job of a million lines is a stream, not a list.
 * <ul>
 *   <li>join: {@code allSettled} — every request settled, failures are results;</li>
 *   <li>all: {@code everyOk} — fails at the first failure, succeeds when all settled;</li>
 *   <li>any: {@code someOk} — succeeds at the first success, fails when all settled without one;</li>
 *   <li>first: {@code firstSettled} — the first result, whatever it is.</li>
 * </ul>
 */
final class ResultSignals {

  private final Mode mode;
  private final Promise<Void> allSettled = Promise.promise();
  private final Promise<Void> everyOk = Promise.promise();
  private final Promise<Void> someOk = Promise.promise();
  private final Promise<Boolean> firstSettled = Promise.promise();
  private final Promise<JobState> stopped = Promise.promise();
  /** Built once: whichever of the decision and a stop completes first stays the answer. */
  private final Future<JobState> ending;

  ResultSignals(Mode mode) {
    this.mode = mode;
    this.ending = Future.any(decision(), stopped.future()).map(any -> any.resultAt(0) != null
      ? any.<JobState>resultAt(0) : any.<JobState>resultAt(1));
  }

  /** A request succeeded. */
  void onOk() {
    firstSettled.tryComplete(true);
    someOk.tryComplete();
  }

  /** A request failed (or was cancelled, or never started). */
  void onFailure() {
    firstSettled.tryComplete(false);
    everyOk.tryFail("a request failed");
  }

  void onAllSettled() {
    allSettled.tryComplete();
    everyOk.tryComplete();
    someOk.tryFail("every request failed");
    firstSettled.tryComplete(false);
  }

  /** A cancel or the deadline: whichever comes first of this and the mode's decision wins. */
  void stop(JobState state) {
    stopped.tryComplete(state);
  }

  /** How the job ends: the mode's decision raced against a stop. */
  Future<JobState> ending() {
    return ending;
  }

  private Future<JobState> decision() {
    return switch (mode) {
      case JOIN -> allSettled.future().map(JobState.SUCCEEDED);
      case ALL -> everyOk.future().map(JobState.SUCCEEDED).otherwise(JobState.FAILED);
      case ANY -> someOk.future().map(JobState.SUCCEEDED).otherwise(JobState.FAILED);
      case FIRST -> firstSettled.future().map(ok -> ok ? JobState.SUCCEEDED : JobState.FAILED);
    };
  }
}
