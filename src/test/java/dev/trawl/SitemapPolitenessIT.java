package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.TestNode;
import dev.trawl.support.TestVertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sitemap fetches obey the job like its pages: robots.txt, the host gate ({@code perHost}) and
 * the job's {@code concurrency}. A slow local server counts how many requests it answers at once.
 */
@ExtendWith(VertxExtension.class)
class SitemapPolitenessIT {

  private static final int SITEMAPS = 50;
  private static final long SLOW_MS = 30;

  @TempDir
  Path data;
  private TestVertx testVertx;
  private TestNode node;
  private HttpServer server;
  private volatile String robots = "";
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final AtomicInteger now = new AtomicInteger();
  private final AtomicInteger max = new AtomicInteger();

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    server = testVertx.vertx().createHttpServer().requestHandler(this::serve).listen(0, "127.0.0.1").await();
    node = new TestNode(testVertx.vertx(), data, new JsonObject()).start().await();
  }

  @AfterEach
  void down() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  /** robots.txt at once; everything else (pages and sitemaps) after {@link #SLOW_MS}, counted. */
  private void serve(HttpServerRequest request) {
    String path = request.path();
    hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    if (path.equals("/robots.txt")) {
      request.response().putHeader("Content-Type", "text/plain").end(robots);
      return;
    }
    int concurrent = now.incrementAndGet();
    max.accumulateAndGet(concurrent, Math::max);
    testVertx.vertx().setTimer(SLOW_MS, id -> {
      now.decrementAndGet(); // before the answer leaves, so the next request cannot overlap it here
      if (path.endsWith(".xml")) {
        String n = path.replaceAll("\\D", "");
        String xml = path.equals("/sitemap.xml") ? "" : "<url><loc>" + url("/page/" + n) + "</loc></url>";
        request.response().putHeader("Content-Type", "application/xml").end("<?xml version=\"1.0\"?>"
          + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">" + xml + "</urlset>");
      } else {
        request.response().putHeader("Content-Type", "text/html").end("<html><body><h1>" + path + "</h1></body></html>");
      }
    });
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  private int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  private JsonObject sitemapCrawl(String name, JsonObject limits) {
    return Jobs.job(name, url("/")).put("robots", "obey").put("limits", limits)
      .put("follow", new JsonObject().put("maxDepth", 0).put("sitemaps", true));
  }

  private String fiftySitemaps() {
    StringBuilder txt = new StringBuilder("User-agent: *\nAllow: /\n");
    for (int i = 0; i < SITEMAPS; i++) {
      txt.append("Sitemap: ").append(url("/sitemap-" + i + ".xml")).append('\n');
    }
    return txt.toString();
  }

  private void assertAllRead(JsonObject summary) {
    for (int i = 0; i < SITEMAPS; i++) {
      assertEquals(1, hits("/sitemap-" + i + ".xml"), "sitemap " + i + " read once");
    }
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    assertEquals(1 + SITEMAPS, results.size(), "the seed and one page per sitemap; sitemaps make no lines");
    assertEquals(1 + SITEMAPS, summary.getLong("total"));
    assertEquals(1 + SITEMAPS, summary.getLong("ok"));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void fiftySitemapsOnASlowHostKeepToPerHost(VertxTestContext ctx) {
    robots = fiftySitemaps();
    JsonObject job = sitemapCrawl("per-host", new JsonObject().put("concurrency", 64).put("perHost", 2));
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertAllRead(summary);
      assertTrue(max.get() <= 2, "the server saw " + max.get() + " requests at once, perHost is 2");
      assertEquals(2, max.get(), "the host's two slots are used");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void sitemapFetchesCountAgainstTheJobsConcurrency(VertxTestContext ctx) {
    robots = fiftySitemaps();
    JsonObject job = sitemapCrawl("concurrency", new JsonObject().put("concurrency", 3).put("perHost", 0));
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertAllRead(summary);
      assertTrue(max.get() <= 3, "the server saw " + max.get() + " requests at once, concurrency is 3");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aSitemapRobotsTxtDisallowsIsNeverFetched(VertxTestContext ctx) {
    robots = "User-agent: *\nDisallow: /private/\nSitemap: " + url("/private/sitemap.xml")
      + "\nSitemap: " + url("/public/sitemap-8.xml") + "\n";
    JsonObject job = sitemapCrawl("disallowed", new JsonObject());
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals(0, hits("/private/sitemap.xml"), "robots.txt disallows it: never fetched");
      assertEquals(1, hits("/public/sitemap-8.xml"));
      List<JsonObject> results = Jobs.readResults(summary.getString("output"));
      assertEquals(List.of(url("/"), url("/page/8")), results.stream().map(r -> r.getString("url")).sorted().toList());
      assertEquals(0, hits("/page/7"));
      ctx.completeNow();
    })));
  }
}
