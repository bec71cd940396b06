package dev.trawl.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A generated shop to crawl: {@code /} links to {@code categories} category pages, each listing
 * {@code perCategory} products; every product links home, to its neighbours (so links repeat), to
 * an anchor of itself, and to the same page on another host name ({@code localhost}). Hidden pages
 * {@code /hidden/N} are linked from nowhere but the sitemaps. robots.txt is whatever a test sets.
 * Counts every hit per path, so a test can check that each page was fetched once.
 */
public final class CrawlSite {

  private final Vertx vertx;
  private final int categories;
  private final int perCategory;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private volatile String robots;
  private volatile int robotsStatus = 404;
  private HttpServer server;

  public CrawlSite(Vertx vertx, int categories, int perCategory) {
    this.vertx = vertx;
    this.categories = categories;
    this.perCategory = perCategory;
  }

  public Future<CrawlSite> start() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      hits.computeIfAbsent(ctx.request().path(), k -> new AtomicInteger()).incrementAndGet();
      ctx.next();
    });
    router.get("/").handler(this::home);
    router.get("/c/:n").handler(this::category);
    router.get("/p/:n").handler(this::product);
    router.get("/hidden/:n").handler(ctx -> html(ctx, "<h1>hidden " + ctx.pathParam("n") + "</h1>"));
    router.get("/robots.txt").handler(ctx -> ctx.response().setStatusCode(robotsStatus)
      .putHeader("Content-Type", "text/plain").end(robots == null ? "" : robots));
    router.get("/sitemap.xml").handler(ctx -> xml(ctx, urlset(0, 2)));
    router.get("/sitemap-index.xml").handler(ctx -> xml(ctx, "<?xml version=\"1.0\"?>"
      + "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
      + "<sitemap><loc>" + url("/sitemap-a.xml") + "</loc></sitemap>"
      + "<sitemap><loc>" + url("/sitemap-b.xml.gz") + "</loc></sitemap></sitemapindex>"));
    router.get("/sitemap-a.xml").handler(ctx -> xml(ctx, urlset(10, 12)));
    router.get("/sitemap-b.xml.gz").handler(ctx -> ctx.response().putHeader("Content-Type", "application/gzip")
      .end(Buffer.buffer(gzip(urlset(20, 22)))));
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(0, "127.0.0.1").map(this);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  public int port() {
    return server.actualPort();
  }

  public int pages() {
    return 1 + categories + categories * perCategory;
  }

  public void robots(int status, String body) {
    this.robotsStatus = status;
    this.robots = body;
  }

  /** How often {@code path} was requested. */
  public int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  public Map<String, AtomicInteger> allHits() {
    return Map.copyOf(hits);
  }

  private void home(RoutingContext ctx) {
    StringBuilder html = new StringBuilder("<h1>home</h1>");
    for (int c = 0; c < categories; c++) {
      html.append("<a href=\"/c/").append(c).append("\">category ").append(c).append("</a>");
    }
    html(ctx, html.toString());
  }

  private void category(RoutingContext ctx) {
    int c = Integer.parseInt(ctx.pathParam("n"));
    StringBuilder html = new StringBuilder("<h1>category " + c + "</h1><a href=\"/\">home</a>");
    for (int i = 0; i < perCategory; i++) {
      int p = c * perCategory + i;
      html.append("<a href=\"../p/").append(p).append("\">product ").append(p).append("</a>");
    }
    html(ctx, html.toString());
  }

  private void product(RoutingContext ctx) {
    int p = Integer.parseInt(ctx.pathParam("n"));
    int last = categories * perCategory - 1;
    html(ctx, "<h1>product " + p + "</h1><p class=price>" + p + ".00</p>"
      + "<a href=\"/\">home</a><a href=\"/p/" + Math.max(0, p - 1) + "\">prev</a>"
      + "<a href=\"/p/" + Math.min(last, p + 1) + "#reviews\">next</a><a href=\"#top\">top</a>"
      + "<a href=\"HTTP://127.0.0.1:" + port() + "/p/./" + p + "\">self, oddly written</a>"
      + "<a href=\"http://localhost:" + port() + "/p/" + p + "\">elsewhere</a>");
  }

  private String urlset(int from, int to) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
    for (int n = from; n < to; n++) {
      xml.append("<url><loc>").append(url("/hidden/" + n)).append("</loc></url>");
    }
    return xml.append("</urlset>").toString();
  }

  private static void html(RoutingContext ctx, String body) {
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end("<html><body>" + body + "</body></html>");
  }

  private static void xml(RoutingContext ctx, String body) {
    ctx.response().putHeader("Content-Type", "application/xml").end(body);
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(text.getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
