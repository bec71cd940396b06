package dev.trawl;

import dev.trawl.cli.Metrics;
import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import dev.trawl.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP API's statuses: 202, 200, 400 with every problem, 401, 404, 413, 429, health and metrics. */
class ApiIT extends NodeIT {

  private static final String TOKEN = "s3cret";

  private Vertx metered;

  @Override
  protected JsonObject nodeConfig() {
    return new JsonObject()
      .put("http", new JsonObject().put("maxBodyBytes", 4096).put("token", TOKEN))
      .put("jobs", new JsonObject().put("maxConcurrent", 1))
      .put("queue", new JsonObject().put("capacity", 1));
  }

  @AfterEach
  void down() {
    if (metered != null) {
      metered.close().await();
    }
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void anInvalidJobGetsEveryProblemListed(VertxTestContext ctx) {
    JsonObject job = new JsonObject().put("name", "..").put("mode", "sometimes").put("colour", "blue")
      .put("requests", new JsonArray().add("ftp://example.com/a").add("file:///etc/passwd").add("not a url")
        .add(new JsonObject().put("url", "http://example.com/").put("method", "BREW")))
      .put("timeouts", new JsonObject().put("totalMs", -1))
      .put("parse", new JsonObject().put("fields", new JsonObject().put("t", "h1[")));
    post("/jobs", job.toBuffer()).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertEquals(400, response.statusCode());
      JsonArray problems = response.bodyAsJsonObject().getJsonArray("problems");
      String all = problems.encode();
      for (String expected : List.of("name", "mode", "colour: unknown key", "requests[0]", "requests[1]",
        "requests[2]", "requests[3].method", "timeouts.totalMs", "parse.fields.t")) {
        assertTrue(all.contains(expected), "missing problem " + expected + " in " + all);
      }
      assertEquals(9, problems.size(), all);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void badJsonIs400AndAnOversizedBodyIs413(VertxTestContext ctx) {
    post("/jobs", Buffer.buffer("{\"name\": "))
      .compose(bad -> post("/jobs", Buffer.buffer(new byte[10_000])).map(big -> List.of(bad, big)))
      .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
        assertEquals(400, responses.get(0).statusCode());
        assertTrue(responses.get(0).bodyAsJsonObject().containsKey("problems"));
        assertEquals(413, responses.get(1).statusCode());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void theTokenIsRequiredExceptForHealth(VertxTestContext ctx) {
    node.api().get(node.apiPort(), "127.0.0.1", "/jobs").send()
      .compose(noToken -> node.api().get(node.apiPort(), "127.0.0.1", "/health").send()
        .map(health -> List.of(noToken, health)))
      .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
        assertEquals(401, responses.get(0).statusCode());
        assertEquals(200, responses.get(1).statusCode());
        assertEquals("UP", responses.get(1).bodyAsJsonObject().getString("status"));
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aFullQueueAnswers429WithRetryAfterAndUnknownJobsAre404(VertxTestContext ctx) {
    JsonObject holding = Jobs.job("holding", origin.url("/hold"));
    post("/jobs", holding.toBuffer())
      .compose(first -> post("/jobs", holding.toBuffer()))
      .compose(queued -> {
        ctx.verify(() -> assertEquals("queued", queued.bodyAsJsonObject().getString("state")));
        return post("/jobs", holding.toBuffer());
      })
      .compose(rejected -> authed("/jobs/no-such-job").map(missing -> List.of(rejected, missing)))
      .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
        assertEquals(429, responses.get(0).statusCode());
        assertEquals("5", responses.get(0).getHeader("Retry-After"));
        assertEquals(404, responses.get(1).statusCode());
        origin.releaseHeld();
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aJobGivenASlotAtOnceIsAcceptedAsRunning(VertxTestContext ctx) {
    post("/jobs", Jobs.job("started", origin.url("/hold")).toBuffer())
      .onComplete(ctx.succeeding(accepted -> ctx.verify(() -> {
        assertEquals(202, accepted.statusCode());
        assertEquals("running", accepted.bodyAsJsonObject().getString("state"));
        origin.releaseHeld();
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void acceptedJobsHaveLinksAndAreListed(VertxTestContext ctx) {
    post("/jobs", Jobs.job("listed", origin.url("/page/1")).toBuffer())
      .compose(accepted -> {
        ctx.verify(() -> {
          assertEquals(202, accepted.statusCode());
          JsonObject body = accepted.bodyAsJsonObject();
          assertEquals("/jobs/" + body.getString("id") + "/results", body.getJsonObject("links").getString("results"));
        });
        return authed("/jobs");
      })
      .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
        assertEquals(200, list.statusCode());
        assertEquals("listed", list.bodyAsJsonObject().getJsonArray("jobs").getJsonObject(0).getString("name"));
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void metricsArePrometheusTextWhenMetricsAreOn(VertxTestContext ctx) {
    metered = Metrics.enable(new VertxOptions()).build();
    TestNode meteredNode = new TestNode(metered, data.resolve("metered"), new JsonObject());
    meteredNode.start()
      .compose(started -> meteredNode.get("/health"))
      .compose(health -> meteredNode.get("/metrics"))
      .onComplete(ctx.succeeding(metrics -> ctx.verify(() -> {
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.bodyAsString().contains("vertx_http_server_requests_total"), metrics.bodyAsString());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void theBearerSchemeIsCaseInsensitive(VertxTestContext ctx) {
    node.api().get(node.apiPort(), "127.0.0.1", "/jobs").putHeader("Authorization", "bearer " + TOKEN).send()
      .compose(lower -> node.api().get(node.apiPort(), "127.0.0.1", "/jobs").putHeader("Authorization", "BEARER " + TOKEN)
        .send().map(upper -> List.of(lower, upper)))
      .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
        assertEquals(200, responses.get(0).statusCode());
        assertEquals(200, responses.get(1).statusCode());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aWrongTokenUnderAnySchemeSpellingIs401(VertxTestContext ctx) {
    node.api().get(node.apiPort(), "127.0.0.1", "/jobs").putHeader("Authorization", "bearer wrong").send()
      .compose(wrong -> node.api().get(node.apiPort(), "127.0.0.1", "/jobs").putHeader("Authorization", "Basic " + TOKEN)
        .send().map(basic -> List.of(wrong, basic)))
      .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
        assertEquals(401, responses.get(0).statusCode());
        assertEquals(401, responses.get(1).statusCode());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void withATokenTheHostHeaderIsNotChecked(VertxTestContext ctx) {
    node.api().get(node.apiPort(), "127.0.0.1", "/jobs").putHeader("Authorization", "Bearer " + TOKEN)
      .putHeader("Host", "trawl.example.com").send()
      .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
        assertEquals(200, response.statusCode());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aJobBodyThatIsNotJsonIs415(VertxTestContext ctx) {
    node.api().post(node.apiPort(), "127.0.0.1", "/jobs").putHeader("Authorization", "Bearer " + TOKEN)
      .putHeader("Content-Type", "text/plain").sendBuffer(Jobs.job("plain", origin.url("/page/1")).toBuffer())
      .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
        assertEquals(415, response.statusCode());
        assertTrue(response.bodyAsJsonObject().containsKey("error"));
        ctx.completeNow();
      })));
  }

  private io.vertx.core.Future<io.vertx.ext.web.client.HttpResponse<Buffer>> post(String path, Buffer body) {
    return node.api().post(node.apiPort(), "127.0.0.1", path)
      .putHeader("Authorization", "Bearer " + TOKEN).putHeader("Content-Type", "application/json").sendBuffer(body);
  }

  private io.vertx.core.Future<io.vertx.ext.web.client.HttpResponse<Buffer>> authed(String path) {
    return node.api().get(node.apiPort(), "127.0.0.1", path).putHeader("Authorization", "Bearer " + TOKEN).send();
  }
}
