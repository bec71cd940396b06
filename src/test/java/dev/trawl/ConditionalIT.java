package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conditional requests and incremental re-crawls (issue 17): a real server with ETags and
 * Last-Modified that answers {@code 304} when asked conditionally; a second job {@code since} the
 * first gets 304s, and a re-crawl of an unchanged site follows the links the first crawl recorded.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConditionalIT extends NodeIT {

  private static final String LAST_MODIFIED = "Wed, 21 Oct 2026 07:28:00 GMT";
  private static final int PAGES = 12;

  private int sitePort;
  /** Pages whose content changed since the first job (a new ETag). */
  private final Map<String, Integer> versions = new ConcurrentHashMap<>();
  private final AtomicInteger conditional = new AtomicInteger();
  private final AtomicInteger notModified = new AtomicInteger();
  private final AtomicInteger full = new AtomicInteger();

  @BeforeEach
  void site() {
    sitePort = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1").await().actualPort();
  }

  /** Pages {@code /p/N} link {@code /p/N+1}; {@code /p/2} only with an ETag, {@code /p/3} only with Last-Modified. */
  private void answer(HttpServerRequest req) {
    String path = req.path();
    int n = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
    String etag = "\"" + path + "-v" + versions.getOrDefault(path, 1) + "\"";
    boolean withEtag = n != 3;
    boolean withDate = n != 2;
    String ifNoneMatch = req.getHeader("If-None-Match");
    String ifModifiedSince = req.getHeader("If-Modified-Since");
    if (ifNoneMatch != null || ifModifiedSince != null) {
      conditional.incrementAndGet();
    }
    boolean unchanged = ifNoneMatch != null ? withEtag && ifNoneMatch.equals(etag)
      : ifModifiedSince != null && withDate && ifModifiedSince.equals(LAST_MODIFIED);
    if (withEtag) {
      req.response().putHeader("ETag", etag);
    }
    if (withDate) {
      req.response().putHeader("Last-Modified", LAST_MODIFIED);
    }
    if (unchanged) {
      notModified.incrementAndGet();
      req.response().setStatusCode(304).end();
      return;
    }
    full.incrementAndGet();
    String next = n < PAGES ? "<a href=\"/p/" + (n + 1) + "\">next</a>" : "";
    req.response().putHeader("Content-Type", "text/html")
      .end("<html><body><h1>page " + n + " " + etag + "</h1>" + next + "</body></html>");
  }

  private String url(int n) {
    return "http://127.0.0.1:" + sitePort + "/p/" + n;
  }

  private JsonObject listJob(String since) {
    JsonArray requests = new JsonArray();
    for (int n = 1; n <= 5; n++) {
      requests.add(url(n));
    }
    JsonObject job = new JsonObject().put("name", "catalogue").put("requests", requests)
      .put("parse", new JsonObject().put("fields", new JsonObject().put("h1", "h1")));
    return since == null ? job : job.put("since", since);
  }

  @Test
  void aSecondJobSinceTheFirstGetsNotModifiedForWhatDidNotChange() {
    JsonObject first = node.submitAndWait(listJob(null)).await();
    List<JsonObject> before = Jobs.readResults(first.getString("output"));
    JsonObject page1 = Jobs.result(before, 0);
    assertEquals("\"/p/1-v1\"", page1.getString("etag"), page1.encode());
    assertEquals(LAST_MODIFIED, page1.getString("lastModified"));
    assertEquals(0, conditional.get());

    versions.put("/p/4", 2); // changed since
    JsonObject second = node.submitAndWait(listJob(first.getString("id"))).await();
    assertEquals("succeeded", second.getString("state"), second.encode());
    List<JsonObject> after = Jobs.readResults(second.getString("output"));
    for (int index : new int[] {0, 1, 2, 4}) {
      JsonObject r = Jobs.result(after, index);
      assertTrue(r.getBoolean("ok"), r.encode());
      assertEquals(304, r.getInteger("status"), r.encode());
      assertEquals(true, r.getBoolean("notModified"), r.encode());
      assertTrue(r.containsKey("data") && r.getValue("data") == null, r.encode());
    }
    JsonObject changed = Jobs.result(after, 3);
    assertEquals(200, changed.getInteger("status"), changed.encode());
    assertFalse(changed.containsKey("notModified"), changed.encode());
    assertEquals("page 4 \"/p/4-v2\"", changed.getJsonObject("data").getString("h1"));
    assertEquals(5, conditional.get(), "every request of the second job was conditional");
    assertEquals(4, notModified.get());
    assertEquals("\"/p/2-v1\"", Jobs.result(after, 1).getString("etag"), "the 304 keeps the validators");
    assertNull(Jobs.result(after, 1).getString("lastModified"));
  }

  @Test
  void aJobSinceAJobItCannotUseIsRefused() {
    assertEquals(400, node.submit(listJob("no-such-job")).await().statusCode());
    JsonObject other = node.submitAndWait(listJob(null).put("name", "other")).await();
    var wrongName = node.submit(listJob(other.getString("id"))).await();
    assertEquals(400, wrongName.statusCode());
    assertTrue(wrongName.bodyAsString().contains("since"), wrongName.bodyAsString());
    JsonObject held = listJob(null).put("requests", new JsonArray().add(origin.url("/hold")));
    String running = node.submit(held).await().bodyAsJsonObject().getString("id");
    origin.whenHolding(1).await();
    var unfinished = node.submit(listJob(running)).await();
    assertEquals(400, unfinished.statusCode(), unfinished.bodyAsString());
    assertTrue(unfinished.bodyAsString().contains("not finished"), unfinished.bodyAsString());
  }

  @Test
  void aReCrawlSinceACrawlThatRecordedNoLinksStillFindsEveryPage() {
    JsonObject crawl = new JsonObject().put("name", "bare").put("requests", new JsonArray().add(url(1)))
      .put("follow", new JsonObject().put("maxDepth", 50));
    JsonObject first = node.submitAndWait(crawl).await();
    JsonObject second = node.submitAndWait(crawl.copy().put("since", first.getString("id"))).await();
    assertEquals(PAGES, second.getLong("done"), "a 304 without recorded links would end the crawl: " + second.encode());
    assertEquals(0, conditional.get(), "pages whose links were not recorded are asked for in full");
  }

  @Test
  void aReCrawlOfAnUnchangedSiteFollowsTheLinksTheFirstCrawlRecorded() {
    JsonObject crawl = new JsonObject().put("name", "site").put("requests", new JsonArray().add(url(1)))
      .put("parse", new JsonObject().put("links", true).put("fields", new JsonObject().put("h1", "h1")))
      .put("follow", new JsonObject().put("maxDepth", 50));
    JsonObject first = node.submitAndWait(crawl).await();
    assertEquals(PAGES, first.getLong("done"), first.encode());
    int fullBefore = full.get();

    JsonObject second = node.submitAndWait(crawl.copy().put("since", first.getString("id"))).await();
    List<JsonObject> results = Jobs.readResults(second.getString("output"));
    assertEquals(PAGES, results.size(), results.toString());
    assertTrue(results.stream().allMatch(r -> r.getBoolean("ok") && Boolean.TRUE.equals(r.getBoolean("notModified"))),
      results.toString());
    assertEquals(fullBefore, full.get(), "no page was sent again in full");
    assertTrue(results.stream().filter(r -> !r.getString("url").endsWith("/p/" + PAGES))
      .allMatch(r -> r.getJsonArray("links") != null && !r.getJsonArray("links").isEmpty()), results.toString());

    JsonObject third = node.submitAndWait(crawl.copy().put("since", second.getString("id"))).await();
    assertEquals(PAGES, third.getLong("done"), "a re-crawl since a re-crawl still finds every page: " + third.encode());
  }
}
