package dev.trawl;

import dev.trawl.bus.Addresses;
import dev.trawl.support.Await;
import dev.trawl.support.Jobs;
import dev.trawl.support.Origin;
import dev.trawl.support.TestNode;
import dev.trawl.support.TestVertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four clustered nodes in one JVM (Hazelcast on loopback, a cluster name of their own), each a
 * whole Trawl node with its API, against one origin. The tests run in order: the last two take
 * nodes away.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterIT {

  private static final List<String> NAMES = List.of("n1", "n2", "n3", "n4");

  @TempDir
  static Path data;
  private TestVertx originVertx;
  private Origin origin;
  private final List<TestVertx> vertxes = new ArrayList<>();
  private final List<TestNode> nodes = new ArrayList<>();
  private String cluster;

  @BeforeAll
  void startCluster() {
    originVertx = new TestVertx();
    origin = new Origin(originVertx.vertx()).start().await();
    cluster = "trawl-test-" + UUID.randomUUID();
    for (String name : NAMES) {
      TestVertx vertx = TestVertx.clustered(cluster);
      vertxes.add(vertx);
      JsonObject config = new JsonObject()
        .put("node", new JsonObject().put("id", name))
        .put("cluster", new JsonObject().put("heartbeatMs", 200).put("nodeTimeoutMs", 2000));
      nodes.add(new TestNode(vertx.vertx(), data.resolve(name), config).start().await());
    }
    for (TestNode node : nodes) {
      Await.until(() -> node.get("/health").await().bodyAsJsonObject().getJsonArray("nodes").size() == NAMES.size());
    }
  }

  @AfterAll
  void stopCluster() {
    List<String> blocked = new ArrayList<>();
    for (TestVertx vertx : vertxes) {
      blocked.addAll(vertx.blockedWarnings());
      vertx.close();
    }
    blocked.addAll(originVertx.blockedWarnings());
    originVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  @Test
  @Order(1)
  void aJobIsFetchedOnEveryNodeAndAnsweredForByAnyNode() throws Exception {
    // The coordinator sends each try to the node with the fewest unanswered: for the shares to be
    // even, the origin's wait must outweigh what busy cores add to a node's own answers (with 20 ms,
    // n1, which also coordinates, got 9 of 90 while the others got 25-29).
    String[] urls = origin.urls("/slow/100?n=", 90);
    JsonObject job = Jobs.job("spread", urls).put("limits", new JsonObject().put("concurrency", 12));
    JsonObject summary = nodes.get(0).submitAndWait(job).await();
    String id = summary.getString("id");
    assertEquals("succeeded", summary.getString("state"));
    assertEquals("n1", summary.getString("coordinator"));

    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    assertEquals(90, results.size());
    assertEquals(90, results.stream().map(r -> r.getLong("index")).distinct().count());
    Map<String, Long> byNode = results.stream().collect(Collectors.groupingBy(r -> r.getString("node"), Collectors.counting()));
    assertEquals(Set.copyOf(NAMES), byNode.keySet(), "fetched on every node: " + byNode);
    byNode.forEach((node, count) -> assertTrue(count >= 10, "an even share on " + node + ": " + byNode));
    assertTrue(summary.getString("output").startsWith(data.resolve("n1").toString()));
    assertFalse(Files.exists(data.resolve("n2").resolve("spread")), "results only on the coordinating node");

    for (TestNode other : nodes.subList(1, 3)) {
      JsonObject seen = other.get("/jobs/" + id).await().bodyAsJsonObject();
      assertEquals("succeeded", seen.getString("state"));
      assertEquals(90, seen.getLong("ok"));
      HttpResponse<Buffer> streamed = other.get("/jobs/" + id + "/results").await();
      assertEquals(200, streamed.statusCode());
      assertEquals(90, streamed.bodyAsString().lines().count(), "the results stream from another node");
      JsonArray listed = other.get("/jobs").await().bodyAsJsonObject().getJsonArray("jobs");
      assertTrue(listed.stream().anyMatch(j -> id.equals(((JsonObject) j).getString("id"))), "listed by " + other);
    }
  }

  @Test
  @Order(2)
  void aCancelFromAnotherNodeReachesTheCoordinator() {
    JsonObject job = Jobs.job("cancelled", origin.url("/hold"), origin.url("/hold?b"))
      .put("limits", new JsonObject().put("concurrency", 2));
    String id = nodes.get(0).submit(job).await().bodyAsJsonObject().getString("id");
    origin.whenHolding(2).await();
    HttpResponse<Buffer> cancel = nodes.get(2).api().delete(nodes.get(2).apiPort(), "127.0.0.1", "/jobs/" + id).send().await();
    assertEquals(200, cancel.statusCode());
    Await.until(() -> "cancelled".equals(nodes.get(1).get("/jobs/" + id).await().bodyAsJsonObject().getString("state")));
    JsonObject summary = nodes.get(1).get("/jobs/" + id).await().bodyAsJsonObject();
    assertEquals(2, summary.getLong("cancelled"));
    origin.releaseHeld();
  }

  @Test
  @Order(3)
  void perHostLimitsHoldForTheClusterAsAWhole() {
    String[] urls = origin.urls("/slow/40?p=", 24);
    JsonObject job = Jobs.job("polite", urls)
      .put("limits", new JsonObject().put("concurrency", 24).put("perHost", 2));
    origin.resetSlowMax();
    JsonObject summary = nodes.get(1).submitAndWait(job).await();
    assertEquals(24, summary.getLong("ok"));
    assertEquals(2, origin.slowMaxConcurrent(), "at most perHost=2 at once over all three nodes");
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    assertTrue(results.stream().map(r -> r.getString("node")).distinct().count() >= 2, "fetched on several nodes");

    int before = origin.arrivals().size();
    String[] paced = origin.urls("/page/", 8);
    JsonObject gapped = Jobs.job("paced", paced)
      .put("limits", new JsonObject().put("concurrency", 8).put("perHostDelayMs", 150));
    JsonObject pacedSummary = nodes.get(2).submitAndWait(gapped).await();
    assertEquals(8, pacedSummary.getLong("ok"));
    assertEquals(8, origin.arrivals().size() - before, "each page fetched once");
    // The gap is between the starts of tries, which the coordinator times (startedAt): arrivals at
    // the origin add each try's own way to its node and its connection, tens of ms apart under load.
    List<Instant> starts = Jobs.readResults(pacedSummary.getString("output")).stream()
      .map(r -> Instant.parse(r.getString("startedAt"))).sorted().toList();
    for (int i = 1; i < starts.size(); i++) {
      long gapMs = Duration.between(starts.get(i - 1), starts.get(i)).toMillis();
      assertTrue(gapMs >= 130, "perHostDelayMs=150 between starts, whichever node fetched: " + gapMs + " ms");
    }
  }

  @Test
  @Order(4)
  void aDrainingNodeFinishesWhatItTookAndTakesNothingNew() {
    String[] urls = origin.urls("/slow/200?drain=", 60);
    JsonObject job = Jobs.job("drained", urls).put("limits", new JsonObject().put("concurrency", 20));
    String id = nodes.get(0).submit(job).await().bodyAsJsonObject().getString("id");
    Await.until(() -> origin.arrivals().stream().filter(a -> a.uri().contains("drain=")).count() >= 20);
    // What SIGTERM's hook does on n4: the drain, answered once its fetchers are idle.
    vertxes.get(3).vertx().eventBus().request(Addresses.NODE_DRAIN, new JsonObject()).await();
    long startedBeforeDrain = origin.arrivals().stream().filter(a -> a.uri().contains("drain=")).count();

    Await.until(() -> nodes.get(0).get("/jobs/" + id).await().bodyAsJsonObject().getString("endedAt") != null);
    JsonObject summary = nodes.get(0).get("/jobs/" + id).await().bodyAsJsonObject();
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    assertEquals(60, results.size());
    assertEquals(60, results.stream().map(r -> r.getLong("index")).distinct().count());
    assertTrue(results.stream().allMatch(r -> r.getBoolean("ok")), "every try n4 took was answered");
    assertEquals(0, summary.getLong("refetched"), "a drained node hands nothing back half-done");
    assertTrue(results.stream().anyMatch(r -> "n4".equals(r.getString("node"))), "n4 fetched before it drained");
    assertTrue(startedBeforeDrain < 60, "the drain came mid-job");
    vertxes.get(3).close();
  }

  @Test
  @Order(5)
  void theTriesOfALostNodeAreFetchedAgainElsewhereAndEndOnce() {
    String[] urls = origin.urls("/slow/300?lost=", 60);
    JsonObject job = Jobs.job("lost", urls).put("limits", new JsonObject().put("concurrency", 30));
    String id = nodes.get(0).submit(job).await().bodyAsJsonObject().getString("id");
    Await.until(() -> origin.arrivals().stream().filter(a -> a.path().startsWith("/slow/300")).count() >= 30);
    vertxes.get(2).close(); // n3 leaves with tries in flight and never answers them

    Await.until(() -> nodes.get(0).get("/jobs/" + id).await().bodyAsJsonObject().getString("endedAt") != null);
    JsonObject summary = nodes.get(0).get("/jobs/" + id).await().bodyAsJsonObject();
    assertEquals("succeeded", summary.getString("state"));
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    assertEquals(60, results.size());
    assertEquals(60, results.stream().map(r -> r.getLong("index")).distinct().count(), "none doubled");
    assertTrue(results.stream().allMatch(r -> r.getBoolean("ok")), "none lost");
    assertTrue(summary.getLong("refetched") >= 1, "n3's tries were fetched again: " + summary);
    assertTrue(results.stream().noneMatch(r -> "n3".equals(r.getString("node")) && r.getLong("elapsedMs") > 300 + 2000),
      "no answer from n3 after it left");
  }

  @Test
  @Order(6)
  void whenTheCoordinatorIsGoneTheOtherNodesAnswerWithItsLastKnownStateUntilItResumesTheJob() {
    JsonObject job = Jobs.job("orphan", origin.url("/hold?o1"), origin.url("/hold?o2"));
    String id = nodes.get(1).submit(job).await().bodyAsJsonObject().getString("id");
    Await.until(() -> nodes.get(0).get("/jobs/" + id).await().statusCode() == 200);
    vertxes.get(1).close(); // n2, the coordinator

    Await.until(() -> nodes.get(0).get("/jobs/" + id).await().bodyAsJsonObject().getBoolean("coordinatorGone", false));
    JsonObject summary = nodes.get(0).get("/jobs/" + id).await().bodyAsJsonObject();
    // Its last known state, not failed: the job resumes when n2 starts again on its directory.
    assertEquals("running", summary.getString("state"), summary.encode());
    assertEquals("n2", summary.getString("coordinator"));
    assertEquals(2, summary.getLong("total"));
    var results = nodes.get(0).get("/jobs/" + id + "/results").await();
    assertEquals(503, results.statusCode());
    assertEquals("5", results.getHeader("Retry-After"));

    // n2 starts again on its directory, under another node.id: it resumes the job and says so.
    origin.releaseHeld(); // what other nodes still fetch for the gone n2: answers nobody takes
    TestVertx again = TestVertx.clustered(cluster);
    vertxes.add(again);
    JsonObject config = new JsonObject().put("node", new JsonObject().put("id", "n2-again"))
      .put("cluster", new JsonObject().put("heartbeatMs", 200).put("nodeTimeoutMs", 2000));
    new TestNode(again.vertx(), data.resolve("n2"), config).start().await();
    origin.whenHolding(2).await(); // the held requests were in flight: they are fetched again
    origin.releaseHeld();
    Await.until(() -> nodes.get(0).get("/jobs/" + id).await().bodyAsJsonObject().getString("endedAt") != null);
    JsonObject ended = nodes.get(0).get("/jobs/" + id).await().bodyAsJsonObject();
    assertEquals("succeeded", ended.getString("state"), ended.encode());
    assertEquals("n2-again", ended.getString("coordinator"));
    assertEquals(1, ended.getInteger("resumed"));
    assertEquals(2, Jobs.readResults(ended.getString("output")).size());
  }

}
