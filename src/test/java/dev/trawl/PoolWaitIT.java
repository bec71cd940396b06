package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.Origin;
import dev.trawl.support.TestNode;
import dev.trawl.support.TestNodeProcess;
import dev.trawl.support.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.trawl.support.Jobs.kind;
import static dev.trawl.support.Jobs.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waiting for a pooled connection never fails a try (issue 13): limits above {@code fetch.perHostPool}
 * run at the pool's size, a pool as large as the limits really runs them all at once, and
 * {@code timeouts.connectMs} still bounds the TCP connect itself. Each test starts its own node,
 * because each needs its own pool size; the 5,000-connection one runs it as a process of its own.
 */
@ExtendWith(VertxExtension.class)
class PoolWaitIT {

  /**
   * {@code make run}'s JVM options with {@code -Xmx256m}: 5,000 requests in flight keep ~80 MiB live,
   * and in 128 MiB the node collected in full again and again (up to 1.4 s each on two busy cores,
   * long enough for hundreds of requests to fail).
   */
  private static final List<String> NODE_JVM = List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError");

  @TempDir
  Path data;
  private TestVertx testVertx;
  private Origin origin;
  private TestNode node;
  private TestNodeProcess nodeProcess;

  private void startOrigin() {
    testVertx = new TestVertx();
    origin = new Origin(testVertx.vertx()).start().await();
  }

  private void start(int perHostPool, int maxInFlight) {
    startOrigin();
    node = new TestNode(testVertx.vertx(), data, pool(perHostPool, maxInFlight)).start().await();
  }

  private static JsonObject pool(int perHostPool, int maxInFlight) {
    return new JsonObject().put("fetch", new JsonObject().put("perHostPool", perHostPool).put("maxInFlight", maxInFlight));
  }

  @AfterEach
  void stop() {
    if (nodeProcess != null) {
      nodeProcess.close();
    }
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void limitsAboveThePoolRunAtThePoolsSizeWithoutErrors(VertxTestContext ctx) {
    start(8, 1024);
    int requests = 160;
    // connectMs far below the time the last ones wait for a pooled connection (~4 s).
    JsonObject job = slowJob(requests, 200, 300);
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals(requests, summary.getLong("ok"), summary.encode());
      assertEquals(8, origin.slowMaxConcurrent(), "the pool's size, and no more, at once");
      ctx.completeNow();
    })));
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aPoolOfFiveThousandRunsFiveThousandSlowRequestsAtOnce() throws Exception {
    startOrigin();
    // The node in a process of its own: the bound is on the node's resident memory, and this
    // JVM then hosts only the origin's end of the 5,000 connections (with both ends in one JVM on two
    // busy cores, its event loops stalled for GC and scheduling, in no code of Trawl's).
    nodeProcess = TestNodeProcess.start(data, pool(5000, 5000), NODE_JVM);
    int requests = 5000;
    long rssReady = nodeProcess.residentKib("VmRSS");
    JsonObject summary = nodeProcess.submitAndWait(slowJob(requests, 5000, 5000));
    long peak = nodeProcess.residentKib("VmHWM");
    System.out.printf("5,000 slow requests, pool 5,000: %d at once at the server; node process (%s) RSS when ready"
      + " %d MiB, peak (VmHWM) %d MiB%n", origin.slowMaxConcurrent(), String.join(" ", NODE_JVM), rssReady >> 10, peak >> 10);
    assertEquals(requests, summary.getLong("ok"), summary.encode());
    assertTrue(origin.slowMaxConcurrent() >= 2500, "only " + origin.slowMaxConcurrent() + " at once");
    assertTrue(peak < 512 * 1024, "the node's resident memory peaked at " + (peak >> 10) + " MiB");
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void connectMsStillBoundsTheTcpConnect(VertxTestContext ctx) throws IOException {
    start(128, 1024);
    // A listening socket that never accepts, its backlog full: Linux drops further SYNs, so a
    // connect neither succeeds nor fails until a timeout ends it (a blackholed address).
    ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    List<Socket> fillers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Socket filler = new Socket();
      try {
        filler.connect(silent.getLocalSocketAddress(), 200);
        fillers.add(filler);
      } catch (IOException full) {
        break;
      }
    }
    JsonObject job = new JsonObject().put("name", "blackhole").put("requests", new JsonArray()
      .add(new JsonObject().put("url", "http://127.0.0.1:" + silent.getLocalPort() + "/")
        .put("timeouts", new JsonObject().put("connectMs", 400).put("totalMs", 10_000))));
    node.submitAndWait(job).eventually(() -> {
      fillers.forEach(PoolWaitIT::closeQuietly);
      closeQuietly(silent);
      return Future.succeededFuture();
    }).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      JsonObject only = result(Jobs.readResults(summary.getString("output")), 0);
      assertEquals("timeout", kind(List.of(only), 0), only.encode());
      assertTrue(only.getLong("elapsedMs") >= 350 && only.getLong("elapsedMs") < 2000, only.encode());
      ctx.completeNow();
    })));
  }

  /** {@code count} requests to {@code /slow/ms}, with limits as high as the count. */
  private JsonObject slowJob(int count, long ms, long connectMs) {
    JsonArray urls = new JsonArray();
    for (int i = 0; i < count; i++) {
      urls.add(origin.url("/slow/" + ms + "?i=" + i));
    }
    return new JsonObject().put("name", "slow").put("requests", urls)
      .put("limits", new JsonObject().put("concurrency", count).put("perHost", count))
      .put("timeouts", new JsonObject().put("connectMs", connectMs).put("idleMs", 30_000).put("totalMs", 60_000));
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
