package dev.trawl;

import dev.trawl.config.Problems;
import dev.trawl.parse.Extractor;
import dev.trawl.parse.FollowSpec;
import dev.trawl.parse.Links;
import dev.trawl.parse.ParseSpec;
import dev.trawl.parse.ParsedPage;
import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A crawl with a catastrophic {@code follow.include} over a small page (parsed on an event loop)
 * of hostile links: short URLs that would make java.util.regex backtrack for seconds each, a
 * link over 8 KiB, and a {@code :matches} field of the same shape. It completes, and the event
 * loops stay free (the node's blocked-thread check fails the test otherwise).
 */
class HostileLinksIT extends NodeIT {

  private static final String CATASTROPHIC = "(.*x){12}y";
  private static final String MATCHING = "/" + "x".repeat(12) + "y";
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private HttpServer links;

  @BeforeEach
  void upLinks() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      hits.computeIfAbsent(ctx.request().path(), k -> new AtomicInteger()).incrementAndGet();
      ctx.next();
    });
    router.get("/hostile").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html").end(hostilePage()));
    router.get(MATCHING).handler(ctx -> ctx.response().putHeader("Content-Type", "text/html").end("<p>found</p>"));
    links = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    warmUp();
  }

  /**
   * A cold JVM's first jsoup parse, URL normalisation and RE2 compile run interpreted, and on a
   * busy machine that alone can pass the blocked-thread limit; that is not what this test is
   * about, so the code runs once here, on the test thread, on a harmless page and pattern.
   */
  private static void warmUp() {
    ParseSpec spec = ParseSpec.parse(new JsonObject().put("fields", new JsonObject().put("hit", "p:matches(a\\d)")),
      "parse", new Problems());
    FollowSpec follow = FollowSpec.parse(new JsonObject().put("include", new JsonArray().add("x\\dy")), "follow", 10,
      new Problems());
    ParsedPage page = Extractor.extract(spec, "<p>a1</p><a href=/x1y>x</a>".getBytes(StandardCharsets.UTF_8),
      "text/html", "http://warm.example/", false, "a[href]");
    new Links(follow).follow("http://warm.example/", page.found());
  }

  /** 200 links of 16 x's and no y (33 characters with the origin's path), one that matches, one of 9 KB. */
  private static String hostilePage() {
    StringBuilder page = new StringBuilder("<html><body><p>" + "x".repeat(30) + "</p>");
    for (int i = 0; i < 200; i++) {
      page.append("<a href=\"/").append(Integer.toString(i, 36)).append("x".repeat(16)).append("\">x</a>");
    }
    page.append("<a href=\"").append(MATCHING).append("\">m</a>");
    page.append("<a href=\"").append(MATCHING).append("/").append("p".repeat(9000)).append("\">long</a>");
    return page.append("</body></html>").toString();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + links.actualPort() + path;
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aCrawlWithAHostileIncludeOverAPageOfHostileLinksCompletes(VertxTestContext ctx) {
    JsonObject job = Jobs.job("hostile-links", url("/hostile"))
      .put("follow", new JsonObject().put("maxDepth", 1).put("include", new JsonArray().add(CATASTROPHIC)))
      .put("parse", new JsonObject().put("fields", new JsonObject().put("hit", "p:matches(" + CATASTROPHIC + ")")));
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      List<JsonObject> results = Jobs.readResults(summary.getString("output"));
      Map<String, String> kindByUrl = results.stream()
        .collect(Collectors.toMap(r -> r.getString("url"), r -> r.getJsonObject("error") == null ? "ok" : "failed"));
      assertEquals(Map.of(url("/hostile"), "ok", url(MATCHING), "ok"), kindByUrl);
      assertEquals(Map.of("/hostile", 1, MATCHING, 1), hits.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get())));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void anUnsupportedIncludeRejectsTheJobWithAProblemNamingTheKey(VertxTestContext ctx) {
    JsonObject job = Jobs.job("backreference", url("/hostile"))
      .put("follow", new JsonObject().put("include", new JsonArray().add("(a)\\1")));
    node.submit(job).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      JsonArray problems = response.bodyAsJsonObject().getJsonArray("problems");
      assertEquals(List.of(400, "follow.include"), List.of(response.statusCode(),
        problems.getString(0).substring(0, problems.getString(0).indexOf(':'))), problems.encode());
      ctx.completeNow();
    })));
  }
}
