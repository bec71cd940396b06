package dev.trawl.job;

/**
 * Where a job's requests come from, one at a time, as capacity frees: the coordinator pulls; a
 * source never pushes more than it was asked for into memory.
 */
interface RequestSource {

  /** The next request, or null when none is ready yet or none is left. */
  RequestSpec poll();

  /** True once every request has been handed out. */
  boolean exhausted();

  /** Called whenever {@link #poll()} may have something new after it returned null. */
  void onReady(Runnable listener);

  /** Called if reading fails; the job then fails, and input past the failure gets no result. */
  default void onError(java.util.function.Consumer<Throwable> listener) {
  }

  void close();
}
