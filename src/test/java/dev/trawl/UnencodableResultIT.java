package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.trawl.support.Jobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JSON body nested 999 deep parses (Jackson reads up to 1,000 levels), but its result line is
 * two levels deeper and cannot be encoded. Each such request still gets one line, a {@code parse}
 * failure, and gives back its sink credit: more of them than the node's sink window (4,096) do
 * not stop the node from dispatching.
 */
class UnencodableResultIT extends NodeIT {

  private static final int DEPTH = 999;
  /** More than the sink window: with a credit lost per page, the job would never end. */
  private static final int REQUESTS = 4_600;

  private int deepPort;

  @Override
  protected JsonObject nodeConfig() {
    return new JsonObject().put("limits", new JsonObject().put("concurrency", 256));
  }

  @BeforeEach
  void deepServer() {
    String deep = "[".repeat(DEPTH) + "]".repeat(DEPTH);
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.response()
      .putHeader("Content-Type", "application/json").end(deep));
    deepPort = server.listen(0, "127.0.0.1").await().actualPort();
  }

  /** Linear, from the JUnit thread: the file of 4,600 lines is read here, not on an event loop. */
  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void everyUnencodableResultGetsOneParseLineAndTheNodeGoesOn() {
    JsonArray urls = new JsonArray();
    for (int i = 0; i < REQUESTS; i++) {
      urls.add("http://127.0.0.1:" + deepPort + "/deep/" + i);
    }
    JsonObject deepJob = new JsonObject().put("name", "deep").put("requests", urls)
      .put("parse", new JsonObject().put("as", "json"));
    checkDeepJob(node.submitAndWait(deepJob).await());
    JsonObject after = node.submitAndWait(job("after", origin.url("/page/1"))).await();
    assertEquals("succeeded", after.getString("state"));
    assertEquals(1, after.getLong("ok"));
  }

  private static void checkDeepJob(JsonObject summary) {
    assertEquals("succeeded", summary.getString("state"));
    assertEquals(REQUESTS, summary.getLong("failed"));
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    assertEquals(REQUESTS, results.size());
    BitSet indexes = new BitSet();
    for (JsonObject result : results) {
      indexes.set(result.getInteger("index"));
      JsonObject error = result.getJsonObject("error");
      assertEquals("parse", error.getString("kind"));
      assertTrue(error.getString("message").startsWith("the result could not be encoded as JSON"), error.encode());
      assertEquals(null, result.getValue("data"));
    }
    assertEquals(REQUESTS, indexes.cardinality());
  }
}
