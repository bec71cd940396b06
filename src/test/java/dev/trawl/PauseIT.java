package dev.trawl;

import dev.trawl.support.Await;
import dev.trawl.support.Jobs;
import dev.trawl.support.Origin;
import dev.trawl.support.TestNode;
import dev.trawl.support.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Pause and resume on one node (issue 14): a paused job holds no {@code jobs.maxConcurrent} slot,
 * and a submit with {@code ?wait=true} keeps waiting through a pause until the job ends.
 */
class PauseIT {

  @TempDir
  Path data;
  private TestVertx testVertx;
  private Origin origin;
  private TestNode node;

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    origin = new Origin(testVertx.vertx()).start().await();
    node = new TestNode(testVertx.vertx(), data, new JsonObject()
      .put("jobs", new JsonObject().put("maxConcurrent", 1))).start().await();
  }

  @AfterEach
  void down() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  private String state(String id) {
    return node.get("/jobs/" + id).await().bodyAsJsonObject().getString("state");
  }

  private int post(String id, String action) {
    return node.api().post(node.apiPort(), "127.0.0.1", "/jobs/" + id + "/" + action).send().await().statusCode();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aPausedJobGivesUpItsSlotAndAWaitingSubmitWaitsThroughThePause() {
    JsonObject slow = Jobs.job("slow", origin.urls("/slow/100?pause=", 60)).put("limits", new JsonObject().put("concurrency", 2));
    Future<JsonObject> waited = node.submitAndWait(slow);
    Await.until(() -> node.get("/jobs").await().bodyAsJsonObject().getJsonArray("jobs").size() == 1);
    String id = node.get("/jobs").await().bodyAsJsonObject().getJsonArray("jobs").getJsonObject(0).getString("id");
    Await.until(() -> node.get("/jobs/" + id).await().bodyAsJsonObject().getLong("done") >= 2);
    assertEquals(200, post(id, "pause"));
    assertEquals("paused", state(id));

    // The only slot (jobs.maxConcurrent 1) is free: another job runs to its end meanwhile.
    JsonObject other = node.submitAndWait(Jobs.job("other", origin.urls("/page/", 5))).await();
    assertEquals("succeeded", other.getString("state"));
    assertEquals("paused", state(id));
    assertFalse(waited.isComplete(), "?wait=true waits through the pause");

    assertEquals(200, post(id, "resume"));
    JsonObject summary = waited.await();
    assertEquals("succeeded", summary.getString("state"));
    assertEquals(60, summary.getLong("ok"));
    assertEquals(409, post(id, "pause"), "an ended job cannot be paused");
  }
}
