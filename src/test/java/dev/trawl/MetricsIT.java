package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.Origin;
import dev.trawl.support.TestNode;
import dev.trawl.support.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} stays bounded (issue 12, point 7): callers inventing HTTP methods, servers
 * answering every status code and a job touching thousands of hosts add no series.
 */
class MetricsIT {

  private static final int MADE_UP_METHODS = 20_000;
  private static final int WAVE = 1_000;
  private static final int LOOPBACK_ADDRESSES = 250;
  private static final int PORTS = 20;
  private static final int TOLERANCE = 50;

  @TempDir
  Path data;
  private TestVertx testVertx;
  private Origin origin;
  private TestNode node;
  private HttpClient client;

  @BeforeEach
  void up() {
    testVertx = TestVertx.metered();
    origin = new Origin(testVertx.vertx()).start().await();
    node = new TestNode(testVertx.vertx(), data, new JsonObject()).start().await();
    client = testVertx.vertx().createHttpClient(new PoolOptions().setHttp1MaxSize(8));
  }

  @AfterEach
  void down() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void madeUpMethodsEveryStatusAndThousandsOfHostsAddNoSeries() throws IOException {
    List<Integer> ports = ports();
    // One of each kind first, so that "before" already has the series a node in use has.
    callWithMadeUpMethods(0, 1);
    node.submitAndWait(job("warm-up", List.of(origin.url("/status/200"), origin.url("/status/404"),
      origin.url("/status/500"), origin.url("/status/302"), "http://127.0.0.2:" + ports.get(1) + "/"))).await();
    int before = series(scrape());

    Set<Integer> statuses = callWithMadeUpMethods(1, MADE_UP_METHODS);
    JsonObject summary = node.submitAndWait(job("many-hosts", manyHostsAndCodes(ports))).await();
    String after = scrape();

    assertEquals(Set.of(405), statuses, "every made-up method reached the API");
    assertEquals(LOOPBACK_ADDRESSES * PORTS + PORTS + 400, summary.getLong("done"), summary.encode());
    assertTrue(Math.abs(series(after) - before) <= TOLERANCE, "series before " + before + ", after " + series(after));
    assertTrue(after.contains("method=\"OTHER\""), "made-up methods count as OTHER");
    assertFalse(after.contains("FOO"), "no series per made-up method");
    assertFalse(after.contains("127.0.0.2"), "no series per remote host");
    assertFalse(after.contains("code=\"418\""), "codes are bucketed by class");
  }

  /**
   * Sends {@code FOO<from>} … {@code FOO<to - 1>} to the API, a wave at a time; the statuses seen.
   * All from one context: requests made on the test thread each get a context of their own, and
   * Vert.x 5.0.10's pool then leaves the odd one unanswered for good (1 to 4 in 10,000 here).
   */
  private Set<Integer> callWithMadeUpMethods(int from, int to) {
    Promise<Set<Integer>> statuses = Promise.promise();
    testVertx.vertx().getOrCreateContext().runOnContext(v -> {
      Future<Set<Integer>> chain = Future.succeededFuture(new TreeSet<>());
      for (int start = from; start < to; start += WAVE) {
        int first = start;
        chain = chain.compose(seen -> wave(first, Math.min(to, first + WAVE)).map(codes -> {
          seen.addAll(codes);
          return seen;
        }));
      }
      chain.onComplete(statuses);
    });
    return statuses.future().await();
  }

  private Future<List<Integer>> wave(int from, int to) {
    List<Future<Integer>> calls = new ArrayList<>();
    for (int i = from; i < to; i++) {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf("FOO" + i))
        .setHost("127.0.0.1").setPort(node.apiPort()).setURI("/jobs");
      calls.add(client.request(options).compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode())));
    }
    return Future.all(calls).map(all -> all.<Integer>list());
  }

  /**
   * 127.0.0.1 … 127.0.0.250 and {@code localhost} on {@link #PORTS} ports (the origin's; the rest
   * are free, so those connections are refused, which still makes a pool per address), plus the
   * origin answering each status from 200 to 599.
   */
  private List<String> manyHostsAndCodes(List<Integer> ports) {
    List<String> urls = new ArrayList<>();
    for (int port : ports) {
      for (int n = 1; n <= LOOPBACK_ADDRESSES; n++) {
        urls.add("http://127.0.0." + n + ":" + port + "/page/" + n);
      }
      urls.add("http://localhost:" + port + "/page/0");
    }
    for (int code = 200; code < 600; code++) {
      urls.add(origin.url("/status/" + code));
    }
    return urls;
  }

  private JsonObject job(String name, List<String> urls) {
    return Jobs.job(name).put("requests", new JsonArray(new ArrayList<Object>(urls)))
      .put("limits", new JsonObject().put("concurrency", 128))
      .put("timeouts", new JsonObject().put("connectMs", 2000).put("totalMs", 5000));
  }

  private String scrape() {
    return node.get("/metrics").map(response -> {
      assertEquals(200, response.statusCode());
      return response.bodyAsString();
    }).await();
  }

  /** Prometheus text has one sample a line; the rest are comments. */
  private static int series(String text) {
    return (int) text.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).count();
  }

  private List<Integer> ports() throws IOException {
    List<Integer> ports = new ArrayList<>(List.of(origin.port()));
    while (ports.size() < PORTS) {
      try (ServerSocket socket = new ServerSocket(0)) {
        ports.add(socket.getLocalPort());
      }
    }
    return ports;
  }
}
