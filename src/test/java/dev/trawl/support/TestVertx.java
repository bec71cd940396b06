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
  /**
   * Clustered nodes get more: three Hazelcast members starting in one JVM on two cores starve
   * event loops of CPU while they load classes (a first Netty write was seen taking 349 ms in
   * {@code ClassLoader.defineClass}). Still half of Vert.x's own default of 2 s.
   */
  public static final long MAX_CLUSTERED_EVENT_LOOP_MS = 1000;

  private final Vertx vertx;
  private final List<String> blocked = new CopyOnWriteArrayList<>();

  public TestVertx() {
    this(Vertx.builder().with(options(MAX_EVENT_LOOP_MS)).build());
  }

  private TestVertx(Vertx vertx) {
    this.vertx = vertx;
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(event -> {
      if (event.thread().getName().contains("eventloop")) {
        StackTraceElement[] stack = event.thread().getStackTrace();
        if (loadingClasses(stack)) {
          return;
        }
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < Math.min(stack.length, 25); i++) {
          where.append("\n    at ").append(stack[i]);
        }
        blocked.add(event.thread().getName() + " blocked for " + event.duration() / 1_000_000 + " ms" + where);
      }
    });
  }

  /**
   * The JVM loading or initialising a class for the first time (defineClass, a static
   * initialiser such as Netty's registering a JFR event), or linking a call site the first time
   * it runs (its upcalls into {@code MethodHandleNatives}, such as a {@code VarHandle} use in
   * Netty's allocator, seen at 1,012 ms): a one-time cost of a cold JVM that, while another
   * process keeps both cores busy, can exceed any sane limit. It is not Trawl blocking its loop,
   * so it is not reported; anything else still is (a sleep, a spin, a file read, a runaway regex:
   * see {@code BlockedThreadGuardTest}).
   */
  static boolean loadingClasses(StackTraceElement[] stack) {
    for (int i = 0; i < Math.min(stack.length, 40); i++) {
      StackTraceElement frame = stack[i];
      boolean loader = frame.getClassName().endsWith("ClassLoader")
        && (frame.getMethodName().startsWith("defineClass") || frame.getMethodName().startsWith("loadClass"));
      boolean linker = frame.getClassName().equals("java.lang.invoke.MethodHandleNatives");
      if (loader || linker || frame.getMethodName().equals("<clinit>")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A clustered node on loopback, with the shipped {@code cluster.xml} under its own cluster name,
   * so a test cluster never merges with another one on the machine.
   */
  public static TestVertx clustered(String clusterName) {
    com.hazelcast.config.Config config = new com.hazelcast.config.ClasspathXmlConfig("cluster.xml");
    config.setClusterName(clusterName);
    return new TestVertx(Vertx.builder().with(options(MAX_CLUSTERED_EVENT_LOOP_MS))
      .withClusterManager(new io.vertx.spi.cluster.hazelcast.HazelcastClusterManager(config))
      .buildClustered().await());
  }

  /** A strict test Vert.x with Trawl's own metrics set-up, as the service has it ({@code /metrics}). */
  public static TestVertx metered() {
    return new TestVertx(dev.trawl.cli.Metrics.enable(options(MAX_EVENT_LOOP_MS)).build());
  }

  private static VertxOptions options(long maxEventLoopMs) {
    return new VertxOptions()
      .setMaxEventLoopExecuteTime(maxEventLoopMs).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
      .setBlockedThreadCheckInterval(50).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
      .setMaxWorkerExecuteTime(60).setMaxWorkerExecuteTimeUnit(TimeUnit.SECONDS);
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
