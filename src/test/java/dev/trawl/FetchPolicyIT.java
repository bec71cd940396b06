package dev.trawl;

import dev.trawl.support.Hostile;
import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import static dev.trawl.support.Jobs.kind;
import static dev.trawl.support.Jobs.result;
import dev.trawl.support.Origin;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile web (issue 3): every behaviour ends with the right kind, in bounded time and (for
 * bombs and huge bodies) bounded memory, and the node serves the next job afterwards.
 */
class FetchPolicyIT extends NodeIT {

  private static final long MAX_BODY = 1 << 20;

  private HeapWatch heap;

  @org.junit.jupiter.api.BeforeAll
  static void makeTheBomb() {
    Hostile.bomb();
  }

  @Override
  protected JsonObject nodeConfig() {
    return new JsonObject()
      .put("fetch", new JsonObject().put("maxBodyBytes", MAX_BODY).put("maxInFlight", 12))
      .put("timeouts", new JsonObject().put("idleMs", 2000).put("totalMs", 5000));
  }

  @BeforeEach
  void up() {
    heap = new HeapWatch();
  }

  @AfterEach
  void down() {
    heap.stop();
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void timeoutsBoundTheWholeExchangeAndFreeTheConnection(VertxTestContext ctx) {
    JsonArray requests = new JsonArray()
      .add(request("/hold", 10_000, 600))              // 0 hangs: cut by totalMs
      .add(request("/drip/400/20", 200, 10_000))       // 1 drips slower than idleMs
      .add(request("/drip/50/100", 1000, 800));        // 2 drips faster than idleMs, longer than totalMs
    long started = System.nanoTime();
    runAndThenHealthy(job("timeouts", requests)).onComplete(ctx.succeeding(results -> ctx.verify(() -> {
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      table(results, "hang (totalMs 600)", "drip 1 B/400 ms (idleMs 200)", "drip 1 B/50 ms for 5 s (totalMs 800)");
      assertEquals("timeout", kind(results, 0));
      assertEquals("timeout", kind(results, 1));
      assertEquals("timeout", kind(results, 2));
      assertTrue(result(results, 0).getLong("elapsedMs") < 1500, result(results, 0).encode());
      assertTrue(result(results, 2).getLong("elapsedMs") < 1500, "totalMs is a real deadline: " + result(results, 2).encode());
      assertTrue(elapsedMs < 5000, "took " + elapsedMs + " ms");
      assertEquals(1, origin.heldClosed(), "the hung exchange was aborted, its connection closed");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void connectMsBoundsAConnectThatGetsNoAnswer(VertxTestContext ctx) throws Exception {
    // A listening socket that never accepts, with its backlog filled: Linux drops further SYNs,
    // so the next connect neither succeeds nor fails until a timeout ends it.
    java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    List<java.net.Socket> fillers = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      java.net.Socket filler = new java.net.Socket();
      try {
        filler.connect(silent.getLocalSocketAddress(), 200);
        fillers.add(filler);
      } catch (java.io.IOException full) {
        break;
      }
    }
    JsonObject job = job("connect", new JsonArray().add(new JsonObject()
      .put("url", "http://127.0.0.1:" + silent.getLocalPort() + "/")
      .put("timeouts", new JsonObject().put("connectMs", 300).put("totalMs", 5000))));
    runAndThenHealthy(job).eventually(() -> {
      fillers.forEach(s -> { try { s.close(); } catch (java.io.IOException ignored) { } });
      try { silent.close(); } catch (java.io.IOException ignored) { }
      return Future.succeededFuture();
    }).onComplete(ctx.succeeding(results -> ctx.verify(() -> {
      table(results, "connect gets no answer (connectMs 300)");
      assertEquals("timeout", kind(results, 0), result(results, 0).encode());
      assertTrue(result(results, 0).getLong("elapsedMs") < 2000, result(results, 0).encode());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void bodiesOverTheLimitAreCutWithFlatMemory(VertxTestContext ctx) {
    JsonArray requests = new JsonArray().add(origin.url("/endless")).add(origin.url("/huge/50"))
      .add(origin.url("/huge-chunked/50")).add(origin.url("/gzip-bomb"));
    long started = System.nanoTime();
    runAndThenHealthy(job("bodies", requests)).onComplete(ctx.succeeding(results -> ctx.verify(() -> {
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      table(results, "endless chunked body", "50 MiB with Content-Length", "50 MiB chunked", "gzip bomb (512 MiB)");
      System.out.printf("| heap growth, sampled, for the four above together | %d MiB | | |%n", heap.peakGrowth() >> 20);
      for (int i = 0; i < 4; i++) {
        assertEquals("too_large", kind(results, i), result(results, i).encode());
      }
      assertTrue(result(results, 1).getJsonObject("error").getString("message").contains("Content-Length"),
        "a declared length over the limit is refused before reading");
      // The IT JVM runs with -Xmx384m, so buffering the bomb could not even pass; the sampled
      // growth (garbage included) must stay well under it too.
      long growthMib = heap.peakGrowth() >> 20;
      assertTrue(growthMib < 200, "heap grew " + growthMib + " MiB for a " + (Hostile.BOMB_BYTES >> 20)
        + " MiB bomb and 50 MiB bodies with a 1 MiB limit");
      assertTrue(elapsedMs < 20_000, "took " + elapsedMs + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void undecodableOrCutBodiesAreNeverOk(VertxTestContext ctx) {
    Future<String> garbage = Hostile.garbageServer(vertx).map(server -> "http://127.0.0.1:" + server.actualPort() + "/");
    garbage.compose(garbageUrl -> runAndThenHealthy(job("broken", new JsonArray()
        .add(origin.url("/gzip-gzip")).add(origin.url("/br")).add(origin.url("/reset-mid-body"))
        .add(origin.url("/short-body")).add(origin.url("/close-at-once")).add(garbageUrl)
        .add(origin.url("/no-content")))))
      .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
        table(results, "Content-Encoding: gzip, gzip", "Content-Encoding: br", "reset mid-body", "short body",
          "close without response", "garbage bytes", "204");
        assertEquals("parse", kind(results, 0), "nested gzip is not decoded, so it is not a page");
        assertEquals("parse", kind(results, 1), "br without a decoder");
        assertEquals("connect", kind(results, 2));
        assertEquals("connect", kind(results, 3));
        assertEquals("connect", kind(results, 4));
        assertEquals("connect", kind(results, 5));
        assertEquals("ok", kind(results, 6));
        assertEquals(204, result(results, 6).getInteger("status"));
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void retriesHonourRetryAfterAndCountTheirAttempts(VertxTestContext ctx) {
    JsonObject job = job("retries", new JsonArray().add(origin.url("/throttle/a/1")).add(origin.url("/flaky/b")))
      .put("retry", new JsonObject().put("attempts", 3).put("backoffMs", 20));
    runAndThenHealthy(job).onComplete(ctx.succeeding(results -> ctx.verify(() -> {
      table(results, "429 with Retry-After: 1", "503 twice, then 200");
      JsonObject throttled = result(results, 0);
      assertEquals("ok", kind(results, 0));
      assertEquals(2, throttled.getInteger("attempts"));
      assertTrue(throttled.getLong("elapsedMs") >= 900, "waited for Retry-After: 1 → " + throttled.encode());
      assertEquals("ok", kind(results, 1));
      assertEquals(3, result(results, 1).getInteger("attempts"), "503 twice, then 200");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void charsetsComeFromTheHeaderTheBomTheMetaOrTheHtmlDefault(VertxTestContext ctx) {
    JsonObject job = job("charsets", new JsonArray().add(origin.url("/cp1252")).add(origin.url("/sjis"))
      .add(origin.url("/no-meta"))).put("parse", new JsonObject().put("fields", new JsonObject().put("h", "h1")));
    runAndThenHealthy(job).onComplete(ctx.succeeding(results -> ctx.verify(() -> {
      assertEquals("Caf\u00e9 \u2013 \u20ac5 \u201cfine\u201d", result(results, 0).getJsonObject("data").getString("h"));
      assertEquals("\u7dd1\u8336\u3068\u5bff\u53f8", result(results, 1).getJsonObject("data").getString("h"));
      assertEquals("na\u00efve", result(results, 2).getJsonObject("data").getString("h"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void perHostLimitsBoundConcurrencyAndSpaceStarts(VertxTestContext ctx) {
    JsonArray slow = new JsonArray();
    for (int i = 0; i < 6; i++) {
      slow.add(origin.url("/slow/300"));
    }
    JsonArray spaced = new JsonArray();
    for (int i = 0; i < 4; i++) {
      spaced.add(origin.url("/page/" + i));
    }
    JsonObject perHost = job("per-host", slow).put("limits", new JsonObject().put("concurrency", 6).put("perHost", 2));
    JsonObject delayed = job("delay", spaced).put("limits", new JsonObject().put("perHostDelayMs", 200));
    long started = System.nanoTime();
    node.submitAndWait(perHost)
      .compose(first -> {
        ctx.verify(() -> {
          assertEquals(2, origin.slowMaxConcurrent(), "perHost=2");
          assertTrue((System.nanoTime() - started) / 1_000_000 >= 850, "three rounds of two");
        });
        return node.submitAndWait(delayed);
      })
      .onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
        assertEquals(4, summary.getLong("ok"));
        List<Long> starts = origin.arrivals().stream().filter(a -> a.path().startsWith("/page/"))
          .map(Origin.Arrival::nanos).toList();
        assertEquals(4, starts.size());
        for (int i = 1; i < starts.size(); i++) {
          long gapMs = (starts.get(i) - starts.get(i - 1)) / 1_000_000;
          assertTrue(gapMs >= 190, "gap " + i + " was " + gapMs + " ms");
        }
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aJobStuckOnASlowHostDoesNotStallAnother(VertxTestContext ctx) {
    JsonArray stuck = new JsonArray();
    for (int i = 0; i < 20; i++) {
      stuck.add(origin.url("/hold"));
    }
    JsonObject slowJob = job("stuck", stuck).put("limits", new JsonObject().put("concurrency", 20));
    node.submit(slowJob)
      .compose(accepted -> origin.whenHolding(10))
      .compose(holding -> node.submitAndWait(Jobs.job("quick", origin.url("/page/1"), origin.url("/page/2"))))
      .onComplete(ctx.succeeding(quick -> ctx.verify(() -> {
        assertEquals("succeeded", quick.getString("state"));
        assertEquals(2, quick.getLong("ok"));
        assertTrue(origin.holding() >= 10, "the stuck job is still stuck");
        origin.releaseHeld();
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void redirectsBecomeGetAfter303AndKeepCredentialsOnTheirHost(VertxTestContext ctx) {
    int port = origin.port();
    JsonObject secret = new JsonObject().put("Authorization", "Bearer s3cret");
    JsonObject job = job("redirects", new JsonArray()
      .add(new JsonObject().put("url", origin.url("/see-other/127.0.0.1/" + port)).put("method", "POST")
        .put("headers", secret).put("json", new JsonObject().put("a", 1)))
      .add(new JsonObject().put("url", origin.url("/see-other/localhost/" + port)).put("headers", secret)));
    runAndThenHealthy(job).onComplete(ctx.succeeding(results -> ctx.verify(() -> {
      JsonObject sameHost = result(results, 0).getJsonObject("data");
      assertEquals("GET", sameHost.getString("method"), "303 turns a POST into a GET");
      assertEquals("Bearer s3cret", sameHost.getString("authorization"));
      assertNull(result(results, 1).getJsonObject("data").getValue("authorization"),
        "Authorization is not handed to another host");
      assertEquals("http://localhost:" + port + "/auth-echo", result(results, 1).getString("finalUrl"));
      ctx.completeNow();
    })));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private JsonObject request(String path, long idleMs, long totalMs) {
    return new JsonObject().put("url", origin.url(path))
      .put("timeouts", new JsonObject().put("idleMs", idleMs).put("totalMs", totalMs));
  }

  private static JsonObject job(String name, JsonArray requests) {
    return new JsonObject().put("name", name).put("requests", requests).put("limits", new JsonObject().put("concurrency", 8));
  }

  /** Runs the job, then a plain one that must succeed: the node is healthy after the hostile one. */
  private Future<List<JsonObject>> runAndThenHealthy(JsonObject job) {
    return node.submitAndWait(job).compose(summary -> node.submitAndWait(Jobs.job("after", origin.url("/page/9")))
      .map(after -> {
        if (after.getLong("ok") != 1) {
          throw new AssertionError("the node did not serve the next job: " + after.encode());
        }
        return Jobs.readResults(summary.getString("output"));
      }));
  }

  /**
   * Prints one row per request for the behaviour table in the closing note
   * ({@code mvn verify -Dit.test=FetchPolicyIT | grep '^| '}); it asserts nothing.
   */
  private static void table(List<JsonObject> results, String... behaviours) {
    for (int i = 0; i < behaviours.length; i++) {
      JsonObject result = result(results, i);
      JsonObject error = result.getJsonObject("error");
      System.out.printf("| %s | %s | %d ms | %s |%n", behaviours[i], error == null ? "ok " + result.getInteger("status")
        : error.getString("kind"), result.getLong("elapsedMs"), error == null ? "" : error.getString("message"));
    }
  }

  /** Samples heap use from a daemon thread; the peak growth over the starting point. */
  private static final class HeapWatch {
    private final AtomicLong peak = new AtomicLong();
    private final long base;
    private final Thread sampler;
    private volatile boolean running = true;

    HeapWatch() {
      System.gc();
      base = used();
      sampler = new Thread(() -> {
        while (running) {
          peak.accumulateAndGet(used(), Math::max);
          try {
            TimeUnit.MILLISECONDS.sleep(5); // a sampling interval, not a synchronisation
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      sampler.setDaemon(true);
      sampler.start();
    }

    long peakGrowth() {
      return Math.max(0, peak.get() - base);
    }

    void stop() {
      running = false;
      sampler.interrupt();
    }

    private static long used() {
      Runtime runtime = Runtime.getRuntime();
      return runtime.totalMemory() - runtime.freeMemory();
    }
  }
}
