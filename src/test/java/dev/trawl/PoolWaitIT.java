package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.Origin;
import dev.trawl.support.TestNode;
import dev.trawl.support.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
import java.nio.file.Files;
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
 * because each needs its own pool size.
 */
@ExtendWith(VertxExtension.class)
class PoolWaitIT {

  @TempDir
  Path data;
  private TestVertx testVertx;
  private Origin origin;
  private TestNode node;

  private void start(int perHostPool, int maxInFlight) {
    testVertx = new TestVertx();
    Vertx vertx = testVertx.vertx();
    origin = new Origin(vertx).start().await();
    node = new TestNode(vertx, data, new JsonObject()
      .put("fetch", new JsonObject().put("perHostPool", perHostPool).put("maxInFlight", maxInFlight))).start().await();
  }

  @AfterEach
  void stop() {
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
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void aPoolOfFiveThousandRunsFiveThousandSlowRequestsAtOnce(VertxTestContext ctx) throws IOException {
    start(5000, 5000);
    int requests = 5000;
    resetPeakResident();
    long rssBefore = residentKib("VmRSS");
    node.submitAndWait(slowJob(requests, 5000, 5000)).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      long hwm = residentKib("VmHWM");
      System.out.printf("5,000 slow requests, pool 5,000: %d at once at the server; test JVM RSS before %d MiB, "
        + "peak (VmHWM) %d MiB%n", origin.slowMaxConcurrent(), rssBefore >> 10, hwm >> 10);
      assertEquals(requests, summary.getLong("ok"), summary.encode());
      assertTrue(origin.slowMaxConcurrent() >= 2500, "only " + origin.slowMaxConcurrent() + " at once");
      // The failsafe JVM has run other tests before (its heap may be grown already): what counts is
      // what 5,000 connections at once add, node and origin together.
      // Both ends of 5,000 connections live in this JVM (node and origin); the bound is
      // 512 MiB for the node's process, of which a fresh JVM takes ~64 MiB before any job.
      assertTrue(hwm - rssBefore < 448 * 1024, "5,000 connections added " + ((hwm - rssBefore) >> 10)
        + " MiB resident (node, origin and test in one JVM)");
      ctx.completeNow();
    })));
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

  /** Starts VmHWM again from the current resident size (proc(5), clear_refs "5"). */
  private static void resetPeakResident() throws IOException {
    Files.writeString(Path.of("/proc/self/clear_refs"), "5");
  }

  private static long residentKib(String field) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(field + ":"))
      .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L);
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
