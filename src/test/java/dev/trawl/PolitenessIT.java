package dev.trawl;

import dev.trawl.support.Await;
import dev.trawl.support.Jobs;
import dev.trawl.support.TestNode;
import dev.trawl.support.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Politeness that belongs to the host (issue 15), against a real server that counts, per host,
 * how many requests it serves at once and which job each came from: the shared cap over three
 * jobs, a Retry-After that holds every job, the adaptive back-off and recovery, a host paused and
 * resumed at run time, and fair turns between two jobs.
 */
class PolitenessIT {

  @TempDir
  Path data;
  private TestVertx testVertx;
  private Host host;

  /** A host that answers after {@code delayMs} with {@code status} (and a Retry-After when set). */
  private static final class Host {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();
    /** The query of every request, in the order they came, with when (ms since start). */
    final List<String> arrivals = Collections.synchronizedList(new ArrayList<>());
    final List<Long> arrivalMs = Collections.synchronizedList(new ArrayList<>());
    final long startNanos = System.nanoTime();
    volatile int status = 200;
    volatile String retryAfter;
    volatile long delayMs = 50;
    HttpServer server;

    Future<Host> start(io.vertx.core.Vertx vertx) {
      Router router = Router.router(vertx);
      router.get("/*").handler(ctx -> {
        arrivals.add(ctx.request().query());
        arrivalMs.add((System.nanoTime() - startNanos) / 1_000_000);
        max.accumulateAndGet(now.incrementAndGet(), Math::max);
        int answer = status;
        String after = retryAfter;
        vertx.setTimer(delayMs, id -> {
          now.decrementAndGet();
          if (after != null) {
            ctx.response().putHeader("Retry-After", after);
          }
          ctx.response().setStatusCode(answer).putHeader("Content-Type", "text/plain").end("x");
        });
      });
      server = vertx.createHttpServer().requestHandler(router);
      return server.listen(0, "127.0.0.1").map(this);
    }

    String key() {
      return "127.0.0.1:" + server.actualPort();
    }

    String[] urls(String job, int count) {
      String[] urls = new String[count];
      for (int i = 0; i < count; i++) {
        urls[i] = "http://" + key() + "/p/" + i + "?" + job;
      }
      return urls;
    }
  }

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    host = new Host().start(testVertx.vertx()).await();
  }

  @AfterEach
  void down() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  private TestNode node(JsonObject politeness) {
    return new TestNode(testVertx.vertx(), data, new JsonObject().put("politeness", politeness)).start().await();
  }

  private static JsonObject job(String name, String[] urls, int concurrency) {
    return Jobs.job(name, urls).put("limits", new JsonObject().put("concurrency", concurrency));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void threeJobsOnOneHostStayUnderItsSharedLimit() {
    TestNode node = node(new JsonObject().put("perHost", 3).put("adaptive", false));
    List<Future<JsonObject>> jobs = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      jobs.add(node.submitAndWait(job(name, host.urls(name, 30), 10)));
    }
    for (Future<JsonObject> job : jobs) {
      JsonObject summary = job.await();
      assertEquals("succeeded", summary.getString("state"));
      assertEquals(30, summary.getLong("ok"));
    }
    assertEquals(3, host.max.get(), "three jobs of concurrency 10 share the host's 3");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aJobStricterThanTheHostKeepsItsOwnLimit() {
    TestNode node = node(new JsonObject().put("perHost", 8).put("adaptive", false));
    JsonObject job = job("strict", host.urls("strict", 30), 10);
    job.getJsonObject("limits").put("perHost", 2);
    assertEquals("succeeded", node.submitAndWait(job).await().getString("state"));
    assertEquals(2, host.max.get());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aRetryAfterSeenByOneJobHoldsTheHostForEveryJob() {
    TestNode node = node(new JsonObject().put("perHost", 4).put("adaptive", false));
    host.status = 429;
    host.retryAfter = "2";
    JsonObject first = node.submitAndWait(job("first", host.urls("first", 1), 1)).await();
    assertEquals("http_status", Jobs.kind(Jobs.readResults(first.getString("output")), 0));
    long throttledAt = host.arrivalMs.get(0);
    host.status = 200;
    host.retryAfter = null;
    JsonObject second = node.submitAndWait(job("second", host.urls("second", 3), 3)).await();
    assertEquals(3, second.getLong("ok"));
    long secondStarted = host.arrivalMs.get(1);
    assertTrue(secondStarted - throttledAt >= 1_800, "another job waited out the Retry-After: "
      + (secondStarted - throttledAt) + " ms");
    JsonObject state = node.get("/hosts/" + host.key()).await().bodyAsJsonObject();
    assertEquals(1, state.getJsonObject("recent").getLong("http429"), state.encode());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void repeatedOverloadHalvesTheHostAndSuccessesBringItBack() {
    TestNode node = node(new JsonObject().put("perHost", 8).put("adaptive", true).put("maxDelayMs", 400));
    host.status = 503;
    host.delayMs = 5;
    node.submitAndWait(job("overload", host.urls("overload", 12), 8)).await();
    JsonObject slowed = node.get("/hosts/" + host.key()).await().bodyAsJsonObject();
    assertTrue(slowed.getInteger("perHost") < 8, "halved: " + slowed.encode());
    assertTrue(slowed.getLong("delayMs") > 0, "a delay grown: " + slowed.encode());
    assertEquals(8, slowed.getInteger("configuredPerHost"));

    host.status = 200;
    node.submitAndWait(job("recover", host.urls("recover", 120), 8)).await();
    JsonObject recovered = node.get("/hosts/" + host.key()).await().bodyAsJsonObject();
    assertEquals(8, recovered.getInteger("perHost"), "back to its configured concurrency: " + recovered.encode());
    assertEquals(0, recovered.getLong("delayMs"), recovered.encode());
    JsonObject listed = node.get("/hosts").await().bodyAsJsonObject().getJsonArray("hosts").getJsonObject(0);
    assertEquals(host.key(), listed.getString("host"));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aHostPausedAtRunTimeStartsNothingUntilItsOverrideIsCleared() {
    TestNode node = node(new JsonObject().put("perHost", 2).put("adaptive", false));
    host.delayMs = 100;
    Future<JsonObject> job = node.submitAndWait(job("paused", host.urls("paused", 40), 4));
    Await.until(() -> host.arrivals.size() >= 4);
    var paused = node.api().put(node.apiPort(), "127.0.0.1", "/hosts/" + host.key())
      .sendJsonObject(new JsonObject().put("paused", true)).await();
    assertEquals(200, paused.statusCode(), paused.bodyAsString());
    assertEquals(true, paused.bodyAsJsonObject().getBoolean("paused"));
    Await.until(() -> node.get("/hosts/" + host.key()).await().bodyAsJsonObject().getInteger("inFlight") == 0);
    int arrivals = host.arrivals.size();

    // While the host is paused, a job on another host runs to its end: the paused one took nothing.
    Host other = new Host().start(testVertx.vertx()).await();
    assertEquals("succeeded", node.submitAndWait(job("other", other.urls("other", 10), 2)).await().getString("state"));
    assertEquals(arrivals, host.arrivals.size(), "a paused host gets no request");
    assertEquals(400, node.api().put(node.apiPort(), "127.0.0.1", "/hosts/" + host.key())
      .sendJsonObject(new JsonObject().put("perHost", 0)).await().statusCode());

    var cleared = node.api().delete(node.apiPort(), "127.0.0.1", "/hosts/" + host.key()).send().await();
    assertEquals(200, cleared.statusCode());
    assertEquals(40, job.await().getLong("ok"));
    assertEquals(404, node.get("/hosts/127.0.0.1:1").await().statusCode());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void twoJobsOnOneHostTakeFairTurns() {
    TestNode node = node(new JsonObject().put("perHost", 2).put("adaptive", false));
    host.delayMs = 20;
    Future<JsonObject> big = node.submitAndWait(job("big", host.urls("big", 300), 16));
    Await.until(() -> host.arrivals.size() >= 10);
    Future<JsonObject> small = node.submitAndWait(job("small", host.urls("small", 40), 16));
    small.await();
    big.await();
    List<String> order = List.copyOf(host.arrivals);
    int first = order.indexOf("small");
    int last = order.lastIndexOf("small");
    List<String> window = order.subList(first, last + 1);
    long smallStarts = window.stream().filter("small"::equals).count();
    double share = (double) smallStarts / window.size();
    System.out.printf("| fair turns: perHost 2, big job of 300 and small job of 40 on one host: small's share of"
      + " the host's starts while both had work %.2f (%d of %d) |%n", share, smallStarts, window.size());
    assertTrue(share >= 0.4, "the small job gets at least 40 % while both have work: " + share + " "
      + window.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting())));
  }
}
