package dev.trawl;

import dev.trawl.support.Hostile;
import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.trawl.support.Jobs.kind;
import static dev.trawl.support.Jobs.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies that fight back after the head (issue 13): silence inside a body is bounded by
 * {@code timeouts.idleMs}, not only the wait for the head; gzip and deflate are decoded by Trawl
 * a window at a time, so a bomb ends {@code too_large} without inflating past the limit.
 */
class HostileBodyIT extends NodeIT {

  private static final long IDLE_MS = 1000;
  private static final long TOTAL_MS = 20_000;
  private static final long BOMB_MIB = 1024;
  private String base;

  @BeforeAll
  static void makeTheBomb() {
    Hostile.bomb(BOMB_MIB << 20);
  }

  @Override
  protected JsonObject nodeConfig() {
    return new JsonObject()
      .put("fetch", new JsonObject().put("maxBodyBytes", 1 << 20))
      .put("timeouts", new JsonObject().put("idleMs", IDLE_MS).put("totalMs", TOTAL_MS));
  }

  @BeforeEach
  void hostileServer() {
    Router router = Router.router(vertx);
    Hostile.silentBodies(vertx, router);
    Hostile.sizedBomb(router);
    int port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await().actualPort();
    base = "http://127.0.0.1:" + port;
  }

  @Test
  @Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
  void aBodyDrippingOneByteEveryThreeSecondsEndsWithinIdleMs(VertxTestContext ctx) {
    expectTimeoutWithinIdleMs(ctx, "/drip-after-head/3000");
  }

  @Test
  @Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
  void aBodyThatStopsAt100Of1000BytesAndHoldsTheConnectionEndsWithinIdleMs(VertxTestContext ctx) {
    expectTimeoutWithinIdleMs(ctx, "/short-body-held");
  }

  @Test
  @Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
  void gzipAndDeflateBodiesAreDecoded(VertxTestContext ctx) {
    JsonObject job = Jobs.job("encoded", base + "/encoded/gzip", base + "/encoded/deflate", base + "/encoded/raw-deflate");
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      List<JsonObject> results = Jobs.readResults(summary.getString("output"));
      for (int i = 0; i < 3; i++) {
        assertEquals("ok", kind(results, i), result(results, i).encode());
        assertEquals("Encoded", result(results, i).getJsonObject("data").getString("title"));
      }
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aGzipBombOfOneGibEndsTooLarge(VertxTestContext ctx) {
    node.submitAndWait(Jobs.job("bomb", base + "/gzip-bomb-mib/" + BOMB_MIB))
      .onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
        JsonObject bomb = result(Jobs.readResults(summary.getString("output")), 0);
        assertEquals("too_large", kind(List.of(bomb), 0), bomb.encode());
        assertTrue(bomb.getJsonObject("error").getString("message").contains("fetch.maxBodyBytes"), bomb.encode());
        ctx.completeNow();
      })));
  }

  private void expectTimeoutWithinIdleMs(VertxTestContext ctx, String path) {
    node.submitAndWait(new JsonObject().put("name", "silent").put("requests", new JsonArray().add(base + path)))
      .onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
        JsonObject silent = result(Jobs.readResults(summary.getString("output")), 0);
        assertEquals("timeout", kind(List.of(silent), 0), silent.encode());
        assertTrue(silent.getJsonObject("error").getString("message").contains("timeouts.idleMs"), silent.encode());
        long elapsedMs = silent.getLong("elapsedMs");
        assertTrue(elapsedMs >= IDLE_MS - 50 && elapsedMs < IDLE_MS + 1500,
          "ended after " + elapsedMs + " ms; idleMs is " + IDLE_MS + ", totalMs " + TOTAL_MS);
        ctx.completeNow();
      })));
  }
}
