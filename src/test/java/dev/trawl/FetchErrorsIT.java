package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import dev.trawl.support.RequestsFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.trawl.support.Jobs.kind;
import static dev.trawl.support.Jobs.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each failure a fetch can meet ends as one result with the right error kind. */
class FetchErrorsIT extends NodeIT {

  @Override
  protected JsonObject nodeConfig() {
    return new JsonObject()
      .put("fetch", new JsonObject().put("maxBodyBytes", 100_000).put("maxRedirects", 3))
      .mergeIn(RequestsFiles.allowedIn(data), true);
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void everyFailureHasItsKind(VertxTestContext ctx) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    JsonArray requests = new JsonArray()
      .add(origin.url("/status/500"))                           // 0 http_status
      .add(origin.url("/json-as-html"))                         // 1 ok: auto parses text/html as HTML
      .add(origin.url("/bad-json"))                             // 2 parse: auto, application/json
      .add(origin.url("/big/200000"))                           // 3 too_large
      .add(origin.url("/loop"))                                 // 4 too_many_redirects
      .add(origin.url("/to-file"))                              // 5 invalid_request
      .add("http://127.0.0.1:" + closedPort + "/")              // 6 connect
      .add("http://no-such-host.invalid/")                      // 7 dns
      .add(new JsonObject().put("url", origin.url("/slow/5000"))
        .put("timeouts", new JsonObject().put("totalMs", 300)))  // 8 timeout
      .add(origin.url("/redirect/2"))                           // 9 ok after two hops
      .add(origin.url("/text"))                                 // 10 ok as text
      .add("https://127.0.0.1:" + origin.port() + "/page/1");   // 11 tls: the origin speaks plain HTTP
    JsonObject job = new JsonObject().put("name", "errors").put("requests", requests);
    JsonObject asJson = new JsonObject().put("as", "json");
    long started = System.nanoTime();
    node.submitAndWait(job)
      .compose(first -> node.submitAndWait(new JsonObject().put("name", "json-errors")
        .put("requests", new JsonArray().add(origin.url("/json-as-html")).add(origin.url("/bad-json")))
        .put("parse", asJson)).map(second -> List.of(first, second)))
      .onComplete(ctx.succeeding(summaries -> ctx.verify(() -> {
        List<JsonObject> results = Jobs.readResults(summaries.get(0).getString("output"));
        assertEquals(12, results.size());
        assertEquals("tls", kind(results, 11));
        assertEquals("http_status", kind(results, 0));
        assertEquals("ok", kind(results, 1));
        assertEquals("parse", kind(results, 2));
        assertEquals("too_large", kind(results, 3));
        assertEquals("too_many_redirects", kind(results, 4));
        assertEquals("invalid_request", kind(results, 5));
        assertEquals("connect", kind(results, 6));
        assertEquals("dns", kind(results, 7));
        assertEquals("timeout", kind(results, 8));
        JsonObject redirected = result(results, 9);
        assertTrue(redirected.getBoolean("ok"), redirected.encode());
        assertEquals(origin.url("/page/1"), redirected.getString("finalUrl"));
        assertEquals("plain words", result(results, 10).getJsonObject("data").getString("text"));
        List<JsonObject> json = Jobs.readResults(summaries.get(1).getString("output"));
        assertEquals("content_type", kind(json, 0));
        assertEquals("parse", kind(json, 1));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(elapsedMs < 10_000, "took " + elapsedMs + " ms: the 5 s page must be cut at 300 ms");
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void retriesUntilAttemptsRunOutAndReportsTheRealCount(VertxTestContext ctx) {
    JsonObject job = Jobs.job("retry", origin.url("/status/503"), origin.url("/status/404"))
      .put("retry", new JsonObject().put("attempts", 3).put("backoffMs", 10));
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      List<JsonObject> results = Jobs.readResults(summary.getString("output"));
      assertEquals(3, result(results, 0).getInteger("attempts"), "503 is retried");
      assertEquals(1, result(results, 1).getInteger("attempts"), "404 is never retried");
      assertEquals(4, origin.hits(), "the server saw 3 + 1 requests");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void cookiesSetByAResponseAreSentLaterAndBodiesArePosted(VertxTestContext ctx) {
    JsonObject job = new JsonObject().put("name", "session")
      .put("requests", new JsonArray().add(origin.url("/cookie/set")))
      .put("cookies", new JsonObject().put("session", "abc"))
      .put("headers", new JsonObject().put("user-agent", "mine/1"))
      .put("limits", new JsonObject().put("concurrency", 1));
    JsonObject second = new JsonObject().put("name", "post")
      .put("requests", new JsonArray().add(new JsonObject().put("url", origin.url("/echo")).put("method", "POST")
        .put("json", new JsonObject().put("q", "tea"))));
    node.submitAndWait(job.put("requests", job.getJsonArray("requests").add(origin.url("/cookie/echo"))))
      .compose(first -> node.submitAndWait(second).map(s -> List.of(first, s)))
      .onComplete(ctx.succeeding(summaries -> ctx.verify(() -> {
        List<JsonObject> results = Jobs.readResults(summaries.get(0).getString("output"));
        assertEquals("session=abc; flavour=oolong", result(results, 1).getJsonObject("data").getString("cookie"));
        assertEquals(new JsonArray().add("mine/1"), result(results, 1).getJsonObject("data").getJsonArray("userAgents"),
          "the job's User-Agent replaces the default, and only one is sent");
        JsonObject echo = Jobs.readResults(summaries.get(1).getString("output")).get(0).getJsonObject("data");
        assertEquals("POST", echo.getString("method"));
        assertEquals("application/json", echo.getString("contentType"));
        assertEquals(new JsonObject().put("q", "tea"), new JsonObject(echo.getString("body")));
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aRequestsFileIsReadLazilyAndBadLinesBecomeInvalidRequestResults(VertxTestContext ctx) throws IOException {
    Path file = data.resolve("urls.txt");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      lines.append(i == 7 ? "ftp://example.com/x" : i == 9 ? "{not json" : origin.url("/page/" + i)).append('\n');
    }
    Files.writeString(file, lines);
    JsonObject job = new JsonObject().put("name", "file").put("requestsFile", file.toString());
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals(2000, summary.getLong("total"));
      assertEquals(1998, summary.getLong("ok"));
      List<JsonObject> results = Jobs.readResults(summary.getString("output"));
      assertEquals(2000, results.size());
      assertEquals("invalid_request", kind(results, 7));
      assertEquals("invalid_request", kind(results, 9));
      assertEquals("Page 1999", result(results, 1999).getJsonObject("data").getString("title"));
      ctx.completeNow();
    })));
  }
}
