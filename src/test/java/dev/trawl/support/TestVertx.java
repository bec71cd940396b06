package dev.trawl.support;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x instance for tests whose blocked-thread checker is strict (an event loop busy for
 * more than {@link #MAX_EVENT_LOOP_MS} ms) and, instead of only logging, records every warning so
 * the test can fail on it.
 */
public final class TestVertx {

  public static final long MAX_EVENT_LOOP_MS = 300;

  private final Vertx vertx;
  private final List<String> blocked = new CopyOnWriteArrayList<>();

  public TestVertx() {
    VertxOptions options = new VertxOptions()
      .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
      .setBlockedThreadCheckInterval(50).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
      .setMaxWorkerExecuteTime(60).setMaxWorkerExecuteTimeUnit(TimeUnit.SECONDS);
    vertx = Vertx.builder().with(options).build();
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(event -> {
      if (event.thread().getName().contains("eventloop")) {
        blocked.add(event.thread().getName() + " blocked for " + event.duration() / 1_000_000 + " ms");
      }
    });
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Every event-loop block seen so far; a test passes only when this is empty. */
  public List<String> blockedWarnings() {
    return List.copyOf(blocked);
  }

  public void close() {
    vertx.close().await();
  }
}
