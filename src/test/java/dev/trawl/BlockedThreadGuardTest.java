package dev.trawl;

import dev.trawl.support.TestVertx;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard every integration test relies on really catches a blocked event loop. */
class BlockedThreadGuardTest {

  @Test
  void anEventLoopBusyPastTheLimitIsReported() throws InterruptedException {
    TestVertx testVertx = new TestVertx();
    CountDownLatch done = new CountDownLatch(1);
    testVertx.vertx().runOnContext(v -> {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TestVertx.MAX_EVENT_LOOP_MS * 3);
      while (System.nanoTime() < until) {
        Thread.onSpinWait(); // deliberately hog the event loop
      }
      done.countDown();
    });
    assertTrue(done.await(10, TimeUnit.SECONDS));
    boolean reported = !testVertx.blockedWarnings().isEmpty();
    testVertx.close();
    assertTrue(reported, "the checker saw nothing");
    assertFalse(testVertx.blockedWarnings().get(0).isEmpty());
  }

  @Test
  void anEventLoopSleepingPastTheLimitIsReported() throws InterruptedException {
    TestVertx testVertx = new TestVertx();
    CountDownLatch done = new CountDownLatch(1);
    testVertx.vertx().runOnContext(v -> {
      try {
        Thread.sleep(TestVertx.MAX_EVENT_LOOP_MS * 3); // deliberately block the event loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      done.countDown();
    });
    assertTrue(done.await(10, TimeUnit.SECONDS));
    boolean reported = !testVertx.blockedWarnings().isEmpty();
    testVertx.close();
    assertTrue(reported, "the checker saw nothing");
  }
}
