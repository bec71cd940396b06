package dev.trawl;

import dev.trawl.support.NodeIT;
import dev.trawl.support.Processes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Credentials stay with their origin (issue 12, point 3), asserted on the receiving servers: what
 * origin B received when a request, a redirect or a crawl started at origin A. Also the logs of
 * expected failures: no stack trace, no user-info (point 8).
 */
class CredentialsIT extends NodeIT {

  private static final JsonObject OWN = new JsonObject().put("Authorization", "Bearer own")
    .put("Cookie", "own=1");

  private Site a;
  private Site b;

  @BeforeEach
  void sites() {
    a = new Site(vertx).start().await();
    b = new Site(vertx).start().await();
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aRedirectToAnotherOriginCarriesNoneOfTheCredentials(VertxTestContext ctx) {
    JsonObject job = job("redirects",
      own(a.url("/go?to=" + enc(b.url("/echo")))),                          // same host, another port
      own(a.url("/go?to=" + enc(a.url("/echo").replace("127.0.0.1", "localhost")))), // same port, another host
      own(a.url("/go?to=" + enc(a.url("/echo")))))                           // the same origin
      .put("headers", new JsonObject().put("Proxy-Authorization", "Basic am9iOmpvYg==").put("X-Trace", "t"))
      .put("cookies", new JsonObject().put("session", "abc"));
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals(3, summary.getLong("ok"), summary.encode());
      for (Seen go : a.at("/go")) {
        assertEquals("Bearer own", go.authorization());
        assertEquals("Basic am9iOmpvYg==", go.proxyAuthorization());
        assertEquals("session=abc; own=1", go.cookie());
      }
      Seen otherPort = single(b.at("/echo"));
      assertNoCredentials(otherPort);
      assertEquals("t", otherPort.trace(), "headers that are no credentials still go");
      assertNoCredentials(single(a.at("/echo", "localhost")));
      Seen home = single(a.at("/echo", "127.0.0.1"));
      assertEquals("Bearer own", home.authorization());
      assertEquals("Basic am9iOmpvYg==", home.proxyAuthorization());
      assertEquals("session=abc; own=1", home.cookie());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aCookieSetByAIsSentOnlyWhereItMatches(VertxTestContext ctx) {
    String bByName = b.url("/echo").replace("127.0.0.1", "localhost");
    JsonObject job = job("set-cookies",
      a.url("/set?cookie=" + enc("hop=1; Path=/") + "&to=" + enc(bByName)),   // 0: set, then to B in the same try
      a.url("/set?cookie=" + enc("back=2; Path=/") + "&to=" + enc(a.url("/echo"))), // 1: set, then back to A
      bByName,                                                                   // 2: B, in a later try
      b.url("/echo"))                             // 3: B on A's host, another port: another origin
      .put("limits", new JsonObject().put("concurrency", 1));
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals(4, summary.getLong("ok"), summary.encode());
      b.at("/echo").forEach(seen -> assertNull(seen.cookie(), "A's cookies never reach B: " + seen));
      assertEquals(3, b.at("/echo").size());
      assertEquals("hop=1; back=2", single(a.at("/echo")).cookie(),
        "a cookie set by a hop goes to a later hop it matches, and the job's jar keeps it");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aCookieForAnotherDomainOrAPublicSuffixIsNotKept(VertxTestContext ctx) {
    String set = "/set?cookie=" + enc("x=1; Domain=example.com") + "&cookie=" + enc("y=2; Domain=localhost")
      + "&cookie=" + enc("w=3; Domain=com") + "&cookie=" + enc("z=4");
    JsonObject job = job("domains", a.url(set), a.url("/echo"), a.url("/echo").replace("127.0.0.1", "localhost"))
      .put("limits", new JsonObject().put("concurrency", 1));
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals(3, summary.getLong("ok"), summary.encode());
      assertEquals("z=4", single(a.at("/echo", "127.0.0.1")).cookie(), "only the host-only cookie was kept");
      assertNull(single(a.at("/echo", "localhost")).cookie());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aCrawlFromADoesNotSendTheJobsCredentialsToB(VertxTestContext ctx) {
    a.sitemapLists(b.url("/from-sitemap"));
    String links = "/links?to=" + enc(b.url("/echo").replace("127.0.0.1", "localhost")) + "&to=" + enc(b.url("/echo"))
      + "&to=" + enc(a.url("/echo"));
    JsonObject job = job("crawl", a.url(links))
      .put("headers", new JsonObject().put("Authorization", "Bearer job").put("X-Trace", "t"))
      .put("cookies", new JsonObject().put("session", "abc"))
      .put("follow", new JsonObject().put("maxDepth", 1).put("sameHost", false).put("sitemaps", true));
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals(5, summary.getLong("total"), "the seed, three links and one page of A's sitemap: " + summary.encode());
      List<Seen> atB = b.all();
      assertTrue(atB.stream().anyMatch(s -> s.path().equals("/from-sitemap")), "B's page from A's sitemap: " + atB);
      assertTrue(atB.stream().anyMatch(s -> s.path().equals("/sitemap.xml")), "B's own sitemap was read: " + atB);
      assertEquals(2, b.at("/echo").size(), atB.toString());
      atB.forEach(CredentialsIT::assertNoCredentials);
      assertEquals("t", b.at("/echo").get(0).trace());
      Seen crawledAtHome = single(a.at("/echo"));
      assertEquals("Bearer job", crawledAtHome.authorization(), "a found page on the seed's origin gets them");
      assertEquals("session=abc", crawledAtHome.cookie());
      assertEquals("Bearer job", single(a.at("/sitemap.xml")).authorization());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void expectedFailuresLogNoTraceAndNoUserInfo(VertxTestContext ctx) {
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Handler handler = new Handler() {
      @Override public void publish(LogRecord record) {
        logged.add(record);
      }
      @Override public void flush() {
      }
      @Override public void close() {
      }
    };
    Logger root = Logger.getLogger("");
    root.addHandler(handler);
    int closed = Processes.freePort();
    JsonObject job = job("failing", "http://user:s3cret@127.0.0.1:" + closed + "/",
      a.url("/hang").replace("http://", "http://user:s3cret@"), a.url("/status/500").replace("http://", "http://user:s3cret@"))
      .put("timeouts", new JsonObject().put("idleMs", 200).put("totalMs", 1000));
    node.submitAndWait(job).eventually(() -> {
      root.removeHandler(handler);
      return Future.succeededFuture();
    }).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      assertEquals(3, summary.getLong("failed"), summary.encode());
      for (LogRecord record : logged) {
        assertFalse(String.valueOf(record.getMessage()).contains("s3cret"), record.getMessage());
        if (record.getLoggerName() != null && record.getLoggerName().startsWith("dev.trawl")) {
          assertNull(record.getThrown(), "a stack trace for an expected failure: " + record.getMessage());
        }
      }
      ctx.completeNow();
    })));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static JsonObject own(String url) {
    return new JsonObject().put("url", url).put("headers", OWN.copy());
  }

  private static JsonObject job(String name, Object... requests) {
    return new JsonObject().put("name", name).put("requests", new JsonArray(List.of(requests)));
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Seen single(List<Seen> seen) {
    assertEquals(1, seen.size(), seen.toString());
    return seen.get(0);
  }

  private static void assertNoCredentials(Seen seen) {
    assertNull(seen.authorization(), "Authorization at " + seen);
    assertNull(seen.proxyAuthorization(), "Proxy-Authorization at " + seen);
    assertNull(seen.cookie(), "Cookie at " + seen);
  }

  /** What a site received: the path, the host it was asked as, and the headers that matter here. */
  record Seen(String path, String host, String authorization, String proxyAuthorization, String cookie,
              String trace) {
  }

  /** A site on its own loopback port that records every request's credentials. */
  private static final class Site {
    private final Vertx vertx;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile String sitemapEntry;
    private HttpServer server;

    Site(Vertx vertx) {
      this.vertx = vertx;
    }

    Future<Site> start() {
      Router router = Router.router(vertx);
      router.route().handler(this::record);
      router.get("/go").handler(ctx -> ctx.response().setStatusCode(302).putHeader("Location", ctx.queryParams().get("to")).end());
      router.get("/set").handler(this::set);
      router.get("/echo").handler(ctx -> ctx.response().end("echo"));
      router.get("/from-sitemap").handler(ctx -> ctx.response().end("listed"));
      router.get("/links").handler(this::links);
      router.get("/sitemap.xml").handler(this::sitemap);
      router.get("/hang").handler(ctx -> { });
      router.get("/status/:code").handler(ctx -> ctx.response().setStatusCode(Integer.parseInt(ctx.pathParam("code"))).end());
      server = vertx.createHttpServer().requestHandler(router);
      return server.listen(0, "127.0.0.1").map(this);
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.actualPort() + path;
    }

    void sitemapLists(String url) {
      sitemapEntry = url;
    }

    List<Seen> all() {
      return List.copyOf(seen);
    }

    List<Seen> at(String path) {
      return seen.stream().filter(s -> s.path().equals(path)).toList();
    }

    List<Seen> at(String path, String host) {
      return seen.stream().filter(s -> s.path().equals(path) && s.host().equals(host)).toList();
    }

    private void record(RoutingContext ctx) {
      HttpServerRequest req = ctx.request();
      String host = req.getHeader("Host");
      seen.add(new Seen(req.path(), host.substring(0, host.lastIndexOf(':')), req.getHeader("Authorization"),
        req.getHeader("Proxy-Authorization"), req.getHeader("Cookie"), req.getHeader("X-Trace")));
      ctx.next();
    }

    /** Sets every {@code cookie} parameter, then redirects to {@code to} or answers. */
    private void set(RoutingContext ctx) {
      ctx.queryParams().getAll("cookie").forEach(cookie -> ctx.response().headers().add("Set-Cookie", cookie));
      String to = ctx.queryParams().get("to");
      if (to != null) {
        ctx.response().setStatusCode(302).putHeader("Location", to).end();
      } else {
        ctx.response().end("set");
      }
    }

    private void links(RoutingContext ctx) {
      StringBuilder html = new StringBuilder("<html><body>");
      ctx.queryParams().getAll("to").forEach(to -> html.append("<a href=\"").append(to).append("\">x</a>"));
      ctx.response().putHeader("Content-Type", "text/html").end(html.append("</body></html>").toString());
    }

    private void sitemap(RoutingContext ctx) {
      if (sitemapEntry == null) {
        ctx.response().setStatusCode(404).end();
        return;
      }
      ctx.response().putHeader("Content-Type", "application/xml").end("<?xml version=\"1.0\"?>"
        + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>" + sitemapEntry
        + "</loc></url></urlset>");
    }
  }
}
