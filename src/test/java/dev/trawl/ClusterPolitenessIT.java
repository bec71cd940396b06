package dev.trawl;

import dev.trawl.support.Await;
import dev.trawl.support.Jobs;
import dev.trawl.support.TestNode;
import dev.trawl.support.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host limits exact across a cluster (issue 15): two clustered nodes in one JVM, a job submitted to
 * each, both fetched by both nodes, on one host with {@code politeness.perHost: 2}: the host never
 * serves more than 2 at once; a Retry-After answered to one node's fetch holds the host on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterPolitenessIT {

  @TempDir
  static Path data;
  private TestVertx originVertx;
  private final List<TestVertx> vertxes = new ArrayList<>();
  private final List<TestNode> nodes = new ArrayList<>();
  private HttpServer server;
  private final AtomicInteger now = new AtomicInteger();
  private final AtomicInteger max = new AtomicInteger();
  private final List<Long> arrivalMs = Collections.synchronizedList(new ArrayList<>());
  private volatile int status = 200;
  private volatile String retryAfter;

  @BeforeAll
  void startCluster() {
    originVertx = new TestVertx();
    server = originVertx.vertx().createHttpServer().requestHandler(request -> {
      arrivalMs.add(System.nanoTime() / 1_000_000);
      max.accumulateAndGet(now.incrementAndGet(), Math::max);
      int answer = status;
      String after = retryAfter;
      originVertx.vertx().setTimer(40, id -> {
        now.decrementAndGet();
        if (after != null) {
          request.response().putHeader("Retry-After", after);
        }
        request.response().setStatusCode(answer).end("x");
      });
    });
    server.listen(0, "127.0.0.1").await();
    String cluster = "trawl-politeness-" + UUID.randomUUID();
    for (String name : List.of("p1", "p2")) {
      TestVertx vertx = TestVertx.clustered(cluster);
      vertxes.add(vertx);
      JsonObject config = new JsonObject().put("node", new JsonObject().put("id", name))
        .put("cluster", new JsonObject().put("heartbeatMs", 200).put("nodeTimeoutMs", 2000))
        .put("politeness", new JsonObject().put("perHost", 2).put("adaptive", false));
      nodes.add(new TestNode(vertx.vertx(), data.resolve(name), config).start().await());
    }
    for (TestNode node : nodes) {
      Await.until(() -> node.get("/health").await().bodyAsJsonObject().getJsonArray("nodes").size() == 2);
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

  private String host() {
    return "127.0.0.1:" + server.actualPort();
  }

  private JsonObject job(String name, int count) {
    String[] urls = new String[count];
    for (int i = 0; i < count; i++) {
      urls[i] = "http://" + host() + "/" + name + "/" + i;
    }
    return Jobs.job(name, urls).put("limits", new JsonObject().put("concurrency", 8));
  }

  @Test
  void twoJobsOnTwoNodesNeverExceedTheHostsLimitAndARetryAfterHoldsEveryNode() {
    Future<JsonObject> first = nodes.get(0).submitAndWait(job("one", 60));
    Future<JsonObject> second = nodes.get(1).submitAndWait(job("two", 60));
    JsonObject one = first.await();
    JsonObject two = second.await();
    assertEquals(60, one.getLong("ok"));
    assertEquals(60, two.getLong("ok"));
    List<JsonObject> results = new ArrayList<>(Jobs.readResults(one.getString("output")));
    results.addAll(Jobs.readResults(two.getString("output")));
    Map<String, Long> byNode = results.stream().collect(Collectors.groupingBy(r -> r.getString("node"), Collectors.counting()));
    System.out.printf("| cluster politeness: 2 nodes, a job on each, one host at perHost 2: peak at the host %d;"
      + " fetched by %s |%n", max.get(), byNode);
    assertEquals(2, byNode.size(), "both nodes fetched: " + byNode);
    assertEquals(2, max.get(), "the host never saw more than its 2");

    status = 429;
    retryAfter = "2";
    JsonObject throttled = nodes.get(0).submitAndWait(job("throttled", 1).put("retry", new JsonObject().put("attempts", 1)))
      .await();
    assertEquals(1, throttled.getLong("failed"));
    long throttledAt = arrivalMs.get(arrivalMs.size() - 1);
    status = 200;
    retryAfter = null;
    JsonObject after = nodes.get(1).submitAndWait(job("after", 2)).await();
    assertEquals(2, after.getLong("ok"));
    long next = arrivalMs.get(arrivalMs.size() - 2);
    assertTrue(next - throttledAt >= 1_800, "the other node's job waited out the Retry-After: " + (next - throttledAt) + " ms");
    JsonObject state = nodes.get(1).get("/hosts/" + host()).await().bodyAsJsonObject();
    assertEquals(1, state.getJsonObject("recent").getLong("http429"), "either node answers with the owner's state: " + state);
  }
}
