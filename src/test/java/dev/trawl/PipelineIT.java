package dev.trawl;

import dev.trawl.bus.Addresses;
import dev.trawl.support.Jobs;
import dev.trawl.support.Ndjson;
import dev.trawl.support.NodeIT;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.trawl.support.Jobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole pipeline on one node: API → coordinator → fetchers → sink → file, against a real origin. */
class PipelineIT extends NodeIT {

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void joinReportsEveryRequestAndExtractsFields(VertxTestContext ctx) {
    JsonObject job = job("join", origin.url("/page/1"), origin.url("/status/404"), origin.url("/json/7"))
      .put("parse", new JsonObject()
        .put("fields", new JsonObject().put("title", "h1").put("cover", "img.cover@src")
          .put("tags", new JsonArray().add("ul.tags li")))
        .put("json", new JsonObject().put("name", "/name")));
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals("succeeded", summary.getString("state"));
      assertEquals(3, summary.getLong("total"));
      assertEquals(2, summary.getLong("ok"));
      assertEquals(1, summary.getLong("failed"));
      List<JsonObject> results = Jobs.readResults(summary.getString("output"));
      assertEquals(3, results.size());
      JsonObject page = Jobs.result(results, 0);
      assertEquals("Page 1", page.getJsonObject("data").getString("title"));
      assertEquals(origin.url("/img/1.png"), page.getJsonObject("data").getString("cover"));
      assertEquals(new JsonArray().add("a").add("b"), page.getJsonObject("data").getJsonArray("tags"));
      assertEquals("http_status", Jobs.result(results, 1).getJsonObject("error").getString("kind"));
      assertEquals(404, Jobs.result(results, 1).getInteger("status"));
      assertEquals("item 7", Jobs.result(results, 2).getJsonObject("data").getString("name"));
      assertEquals(summary, Jobs.readSummary(summary.getString("output")));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void allFailsAtTheFirstFailureAndCancelsTheRest(VertxTestContext ctx) {
    JsonObject job = job("all", origin.url("/hold"), origin.url("/hold"), origin.url("/status/500"))
      .put("mode", "all");
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals("failed", summary.getString("state"));
      assertEquals(2, summary.getJsonObject("firstError").getLong("index"));
      assertEquals("http_status", summary.getJsonObject("firstError").getJsonObject("error").getString("kind"));
      assertEquals(1, summary.getLong("failed"));
      assertEquals(2, summary.getLong("cancelled"));
      assertEquals(3, Jobs.readResults(summary.getString("output")).size());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void anySucceedsWithTheFirstSuccess(VertxTestContext ctx) {
    JsonObject job = job("any", origin.url("/status/503"), origin.url("/hold"), origin.url("/page/2"))
      .put("mode", "any").put("limits", new JsonObject().put("concurrency", 3));
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals("succeeded", summary.getString("state"));
      assertEquals(2, summary.getJsonObject("winner").getLong("index"));
      assertEquals(1, summary.getLong("ok"));
      assertEquals(2, summary.getLong("failed") + summary.getLong("cancelled"));
      assertTrue(summary.getLong("cancelled") >= 1, "the held request is cancelled");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void anyFailsWhenEveryRequestFails(VertxTestContext ctx) {
    JsonObject job = job("any-fail", origin.url("/status/500"), origin.url("/status/404")).put("mode", "any");
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals("failed", summary.getString("state"));
      assertNull(summary.getValue("winner"));
      assertEquals(2, summary.getLong("failed"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void firstEndsWithTheFirstToSettleEvenAFailure(VertxTestContext ctx) {
    JsonObject job = job("first", origin.url("/hold"), origin.url("/status/418"), origin.url("/hold"))
      .put("mode", "first");
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals("failed", summary.getString("state"));
      assertEquals(1, summary.getJsonObject("winner").getLong("index"));
      assertEquals(2, summary.getLong("cancelled"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void deadlineExpiresTheJobAndAbortsWhatIsInFlight(VertxTestContext ctx) {
    Checkpoint serverSawCloses = ctx.checkpoint();
    origin.onHeldClosed(n -> {
      if (n == 2) {
        serverSawCloses.flag();
      }
    });
    JsonObject job = job("deadline", origin.url("/page/1"), origin.url("/hold"), origin.url("/hold"))
      .put("deadlineMs", 700);
    Checkpoint expired = ctx.checkpoint();
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals("expired", summary.getString("state"));
      assertEquals(1, summary.getLong("ok"));
      assertEquals(2, summary.getLong("cancelled"));
      assertEquals(0, summary.getLong("pending"));
      List<JsonObject> results = Jobs.readResults(summary.getString("output"));
      assertEquals("cancelled", Jobs.result(results, 1).getJsonObject("error").getString("kind"));
      expired.flag();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void deleteCancelsAndTheServerSeesInFlightExchangesClose(VertxTestContext ctx) {
    JsonArray requests = new JsonArray();
    for (int i = 0; i < 4; i++) {
      requests.add(origin.url("/hold"));
    }
    requests.add(origin.url("/page/1"));
    JsonObject job = new JsonObject().put("name", "cancel").put("requests", requests)
      .put("limits", new JsonObject().put("concurrency", 4));
    Checkpoint closedOnServer = ctx.checkpoint();
    origin.onHeldClosed(n -> {
      if (n == 4) {
        closedOnServer.flag();
      }
    });
    Checkpoint cancelled = ctx.checkpoint();
    node.submit(job).compose(accepted -> {
      String id = accepted.bodyAsJsonObject().getString("id");
      return origin.whenHolding(4)
        .compose(v -> node.api().delete(node.apiPort(), "127.0.0.1", "/jobs/" + id).send())
        .compose(deleted -> waitForEnd(id));
    }).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals("cancelled", summary.getString("state"));
      assertEquals(5, summary.getLong("cancelled"), "4 in flight and 1 never started");
      assertEquals(5, Jobs.readResults(summary.getString("output")).size());
      cancelled.flag();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void resultsStreamDeliversRecordsBeforeTheSlowestRequestFinishes(VertxTestContext ctx) {
    JsonObject job = job("stream", origin.url("/page/1"), origin.url("/page/2"), origin.url("/hold"));
    HttpClient http = vertx.createHttpClient();
    List<JsonObject> streamed = new ArrayList<>();
    node.submit(job).onComplete(ctx.succeeding(accepted -> {
      String id = accepted.bodyAsJsonObject().getString("id");
      http.request(HttpMethod.GET, node.apiPort(), "127.0.0.1", "/jobs/" + id + "/results")
        .compose(req -> req.send())
        .onComplete(ctx.succeeding(response -> {
          Ndjson lines = new Ndjson();
          response.handler(chunk -> {
            streamed.addAll(lines.feed(chunk));
            if (streamed.size() == 2) {
              // Two records are here, and the slowest request cannot have been answered: the
              // origin answers /hold only when told to, which happens now.
              origin.whenHolding(1).onSuccess(v -> origin.releaseHeld());
            }
          });
          response.end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
            assertEquals(3, streamed.size());
            assertEquals(List.of(0L, 1L, 2L), streamed.stream().map(r -> r.getLong("seq")).toList());
            assertEquals(2L, streamed.get(2).getLong("index"), "the held request finishes last");
            assertEquals("application/x-ndjson", response.getHeader("Content-Type"));
            ctx.completeNow();
          })));
        }));
    }));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aThousandRequestsGiveAThousandResultsAndTheFileEqualsTheStream(VertxTestContext ctx) {
    JsonArray requests = new JsonArray();
    for (int i = 0; i < 1000; i++) {
      requests.add(origin.url("/page/" + i));
    }
    JsonObject job = new JsonObject().put("name", "thousand").put("requests", requests);
    HttpClient http = vertx.createHttpClient();
    node.submit(job).compose(accepted -> {
      String id = accepted.bodyAsJsonObject().getString("id");
      return http.request(HttpMethod.GET, node.apiPort(), "127.0.0.1", "/jobs/" + id + "/results")
        .compose(req -> req.send())
        .compose(HttpClientResponse::body)
        .compose(body -> node.get("/jobs/" + id).map(summary -> List.of(body.toString(), summary.bodyAsJsonObject())));
    }).onComplete(ctx.succeeding(pair -> ctx.verify(() -> {
      String streamed = (String) pair.get(0);
      JsonObject summary = (JsonObject) pair.get(1);
      String file = Files.readString(Path.of(summary.getString("output")));
      assertEquals(file, streamed, "the stream is the file");
      BitSet indexes = new BitSet();
      List<JsonObject> results = Jobs.readResults(summary.getString("output"));
      assertEquals(1000, results.size());
      for (JsonObject result : results) {
        int index = result.getInteger("index");
        assertTrue(!indexes.get(index), "index " + index + " twice");
        indexes.set(index);
        assertTrue(result.getBoolean("ok"), result.encode());
      }
      assertEquals(1000, indexes.cardinality());
      assertEquals(1000, summary.getLong("ok"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void resultsResumeFromASeq(VertxTestContext ctx) {
    JsonObject job = job("resume", origin.url("/page/1"), origin.url("/page/2"), origin.url("/page/3"));
    node.submitAndWait(job)
      .compose(summary -> node.get("/jobs/" + summary.getString("id") + "/results?from=1"))
      .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
        List<JsonObject> lines = Ndjson.parse(response.body());
        assertEquals(List.of(1L, 2L), lines.stream().map(r -> r.getLong("seq")).toList());
        ctx.completeNow();
      })));
  }

  private io.vertx.core.Future<JsonObject> waitForEnd(String id) {
    io.vertx.core.Promise<JsonObject> ended = io.vertx.core.Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.done(id), message -> ended.tryComplete(message.body()))
      .completion()
      .compose(v -> node.get("/jobs/" + id))
      .onSuccess(response -> {
        if (response.bodyAsJsonObject().getString("endedAt") != null) {
          ended.tryComplete(response.bodyAsJsonObject());
        }
      });
    return ended.future();
  }
}
