package dev.trawl;

import dev.trawl.support.CrawlSite;
import dev.trawl.support.Jobs;
import dev.trawl.support.TestNode;
import dev.trawl.support.TestVertx;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Crawling a generated site: depth, dedupe checked on the server, limits, robots.txt, sitemaps. */
@ExtendWith(VertxExtension.class)
class CrawlIT {

  @TempDir
  Path data;
  private TestVertx testVertx;
  private CrawlSite site;
  private TestNode node;

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    site = new CrawlSite(testVertx.vertx(), 5, 20).start().await();
    node = new TestNode(testVertx.vertx(), data, new JsonObject()).start().await();
  }

  @AfterEach
  void down() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  private JsonObject crawl(String name, int maxDepth) {
    return new JsonObject().put("name", name).put("requests", new JsonArray().add(site.url("/")))
      .put("follow", new JsonObject().put("maxDepth", maxDepth))
      .put("parse", new JsonObject().put("fields", new JsonObject().put("title", "h1")));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aCrawlFetchesEveryPageOnceWithItsDepth(VertxTestContext ctx) {
    node.submitAndWait(crawl("whole", 2)).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      List<JsonObject> results = Jobs.readResults(summary.getString("output"));
      assertEquals(site.pages(), results.size(), "home, 5 categories, 100 products");
      assertEquals(site.pages(), summary.getLong("total"));
      assertEquals(site.pages(), summary.getLong("ok"));
      site.allHits().forEach((path, hits) -> assertEquals(1, hits.get(), path + " fetched " + hits.get() + " times"));
      assertEquals(0, site.hits("/robots.txt") + site.hits("/sitemap.xml"), "robots ignored, no sitemaps asked");
      Map<Integer, Long> byDepth = results.stream().collect(Collectors.groupingBy(r -> r.getInteger("depth"), Collectors.counting()));
      assertEquals(Map.of(0, 1L, 1, 5L, 2, 100L), byDepth);
      BitSet indexes = new BitSet();
      results.forEach(r -> indexes.set(r.getInteger("index")));
      assertEquals(site.pages(), indexes.cardinality(), "crawled pages take the next indexes, each once");
      assertEquals(site.pages() - 1, indexes.previousSetBit(Integer.MAX_VALUE));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void maxDepthMaxPagesIncludeExcludeAndSameHostBoundTheCrawl(VertxTestContext ctx) {
    JsonObject shallow = crawl("shallow", 1);
    JsonObject capped = crawl("capped", 5);
    capped.getJsonObject("follow").put("maxPages", 7);
    JsonObject filtered = crawl("filtered", 5);
    filtered.getJsonObject("follow").put("include", new JsonArray().add("/c/[0-1]$").add("/p/1[0-9]$"))
      .put("exclude", new JsonArray().add("/p/13$"));
    JsonObject anyHost = crawl("any-host", 3);
    anyHost.getJsonObject("follow").put("sameHost", false).put("include", new JsonArray().add("/c/0$").add("/p/0$"));
    node.submitAndWait(shallow)
      .compose(a -> node.submitAndWait(capped).map(b -> List.of(a, b)))
      .compose(ab -> node.submitAndWait(filtered).map(c -> List.of(ab.get(0), ab.get(1), c)))
      .compose(abc -> node.submitAndWait(anyHost).map(d -> List.of(abc.get(0), abc.get(1), abc.get(2), d)))
      .onComplete(ctx.succeeding(summaries -> ctx.verify(() -> {
        assertEquals(6, summaries.get(0).getLong("total"), "home and its 5 categories");
        assertEquals(7, summaries.get(1).getLong("total"), "maxPages is a hard cap");
        assertEquals(7, Jobs.readResults(summaries.get(1).getString("output")).size());
        List<String> filteredUrls = urls(summaries.get(2));
        assertTrue(filteredUrls.contains(site.url("/c/1")) && !filteredUrls.contains(site.url("/c/2")), filteredUrls.toString());
        assertTrue(filteredUrls.contains(site.url("/p/19")) && !filteredUrls.contains(site.url("/p/13")), filteredUrls.toString());
        assertTrue(filteredUrls.stream().noneMatch(u -> u.contains("/p/2") || u.endsWith("/p/3")), filteredUrls.toString());
        List<String> anyHostUrls = urls(summaries.get(3));
        assertTrue(anyHostUrls.contains("http://localhost:" + site.port() + "/p/0"), "sameHost false follows other hosts");
        assertTrue(urls(summaries.get(2)).stream().noneMatch(u -> u.contains("localhost")), "sameHost true does not");
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void robotsTxtDisallowsAndIsFetchedOncePerHost(VertxTestContext ctx) {
    site.robots(200, "User-agent: *\nDisallow: /p/\n");
    JsonObject obey = crawl("obey", 2).put("robots", "obey");
    JsonObject ignore = crawl("ignore", 1).put("robots", "ignore");
    node.submitAndWait(obey).compose(a -> node.submitAndWait(ignore).map(b -> List.of(a, b)))
      .onComplete(ctx.succeeding(summaries -> ctx.verify(() -> {
        List<JsonObject> results = Jobs.readResults(summaries.get(0).getString("output"));
        List<JsonObject> blocked = results.stream().filter(r -> !r.getBoolean("ok")).toList();
        assertEquals(100, blocked.size(), "every product is disallowed");
        blocked.forEach(r -> {
          assertEquals("blocked", r.getJsonObject("error").getString("kind"));
          assertTrue(r.getJsonObject("error").getString("message").contains("robots.txt"));
        });
        assertEquals(0, site.allHits().keySet().stream().filter(p -> p.startsWith("/p/")).count(), "none was fetched");
        assertEquals(1, site.hits("/robots.txt"), "robots.txt once for the host");
        assertEquals(6, summaries.get(1).getLong("ok"), "robots: ignore fetches what obey refused");
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void crawlDelayIsTheHostsMinimumGap(VertxTestContext ctx) {
    site.robots(200, "User-agent: *\nCrawl-delay: 0.3\n");
    JsonObject job = Jobs.job("delay", site.url("/p/1"), site.url("/p/2"), site.url("/p/3"), site.url("/p/4"))
      .put("robots", "obey");
    long started = System.nanoTime();
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals(4, summary.getLong("ok"));
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertTrue(elapsedMs >= 850, "three gaps of 300 ms, took " + elapsedMs);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aRobotsTxtFailingWith5xxDefersTheHostAnd4xxAllowsAll(VertxTestContext ctx) {
    site.robots(503, "");
    JsonObject job = Jobs.job("deferred", site.url("/p/1"), site.url("/p/2")).put("robots", "obey");
    node.submitAndWait(job)
      .compose(deferred -> {
        ctx.verify(() -> {
          List<JsonObject> results = Jobs.readResults(deferred.getString("output"));
          results.forEach(r -> assertEquals("blocked", r.getJsonObject("error").getString("kind")));
          assertTrue(results.get(0).getJsonObject("error").getString("message").contains("deferred"));
          assertEquals(4, site.hits("/robots.txt"), "tried, then three retries");
          assertEquals(0, site.hits("/p/1"));
        });
        site.robots(404, "");
        return node.submitAndWait(Jobs.job("allowed", site.url("/p/3")).put("robots", "obey"));
      })
      .onComplete(ctx.succeeding(allowed -> ctx.verify(() -> {
        assertEquals(1, allowed.getLong("ok"), "a robots.txt answering 404 allows all");
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void sitemapsSeedTheCrawlPlainIndexedAndGzipped(VertxTestContext ctx) {
    site.robots(200, "User-agent: *\nAllow: /\nSitemap: " + site.url("/sitemap-index.xml") + "\n");
    JsonObject job = crawl("sitemaps", 0).put("robots", "obey");
    job.getJsonObject("follow").put("sitemaps", true);
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      List<String> urls = urls(summary);
      for (int n : new int[] {0, 1, 10, 11, 20, 21}) {
        assertTrue(urls.contains(site.url("/hidden/" + n)), "hidden page " + n + " from a sitemap: " + urls);
      }
      assertEquals(7, urls.size(), "the seed (depth 0 stops links) and six pages from three sitemaps");
      assertEquals(1, site.hits("/sitemap-b.xml.gz"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aFrontierLargerThanMemorySpillsToDiskAndComesBackWhole(VertxTestContext ctx) throws Exception {
    // One seed page listing 20,000 links: the frontier outgrows its 8,192 entries in memory.
    AtomicInteger served = new AtomicInteger();
    var server = testVertx.vertx().createHttpServer().requestHandler(request -> {
      served.incrementAndGet();
      StringBuilder html = new StringBuilder("<html><body>");
      if (request.path().equals("/")) {
        for (int i = 0; i < 20_000; i++) {
          html.append("<a href=\"/x/").append(i).append("\">").append(i).append("</a>");
        }
      }
      request.response().putHeader("Content-Type", "text/html").end(html.append("</body></html>").toString());
    }).listen(0, "127.0.0.1").await();
    JsonObject job = new JsonObject().put("name", "wide")
      .put("requests", new JsonArray().add("http://127.0.0.1:" + server.actualPort() + "/"))
      .put("follow", new JsonObject().put("maxDepth", 1).put("maxPages", 50_000))
      .put("parse", new JsonObject().put("as", "none"));
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals(20_001, summary.getLong("ok"), summary.encode());
      assertEquals(20_001, served.get());
      assertTrue(Files.list(Path.of(summary.getString("output")).getParent())
        .noneMatch(p -> p.toString().endsWith(".frontier")), "the spill file is removed");
      ctx.completeNow();
    })));
  }

  private static List<String> urls(JsonObject summary) {
    return Jobs.readResults(summary.getString("output")).stream().map(r -> r.getString("url")).toList();
  }
}
