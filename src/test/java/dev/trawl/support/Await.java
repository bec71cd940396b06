package dev.trawl.support;

import java.util.function.Supplier;

/** For tests that drive other processes or nodes from the test thread (never an event loop). */
public final class Await {

  private Await() {
  }

  /** Waits {@code ms} between two polls of a condition. */
  public static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Polls until {@code condition} holds; the test's own {@code @Timeout} bounds the wait. */
  public static void until(Supplier<Boolean> condition) {
    while (!condition.get()) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
