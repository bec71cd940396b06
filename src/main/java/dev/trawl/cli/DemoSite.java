package dev.trawl.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small shop on loopback for {@code trawl demo}: product pages, a JSON API, an index. The
 * benchmark tools serve a big one ({@code trawl site}) with category pages and {@code /__stats}.
 */
public final class DemoSite {

  public static final int PRODUCTS = 24;
  static final int PER_CATEGORY = 100;

  private final int products;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong repeats = new AtomicLong();
  private final Set<String> paths = ConcurrentHashMap.newKeySet();
  /** Filler text that brings a product page to roughly the size of a real one; made once, sent as is. */
  private final Buffer filler;

  private DemoSite(int products, int pageBytes) {
    this.products = products;
    String sentence = "<p>Picked by hand on a misty slope, rolled, withered and fired; brew it at 85 degrees.</p>";
    this.filler = Buffer.buffer(sentence.repeat(Math.max(0, pageBytes / sentence.length())));
  }

  /** Listens on 127.0.0.1 at a free port with the demo's {@link #PRODUCTS} products. */
  public static Future<HttpServer> start(Vertx vertx) {
    return shop(PRODUCTS, 0).listen(vertx, 0, 0);
  }

  /**
   * A shop of {@code products} products whose pages are padded to about {@code pageBytes}; one
   * shop may listen several times (on one port), and {@code /__stats} counts for all of them.
   */
  public static DemoSite shop(int products, int pageBytes) {
    return new DemoSite(products, pageBytes);
  }

  /**
   * Serves this shop on 127.0.0.1 at {@code port} (0: a free one). With {@code latencyMs} &gt; 0
   * every answer waits that long, as a slow remote site would.
   */
  public Future<HttpServer> listen(Vertx vertx, int port, long latencyMs) {
    Router router = Router.router(vertx);
    router.route().handler(this::count);
    if (latencyMs > 0) {
      router.route().handler(ctx -> vertx.setTimer(latencyMs, id -> ctx.next()));
    }
    router.get("/__stats").handler(this::stats);
    router.get("/").handler(this::index);
    router.get("/c/:n").handler(this::category);
    router.get("/p/:n").handler(this::product);
    router.get("/api/products/:file").handler(this::productJson);
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
  }

  /** Counts requests, and pages asked for more than once, for {@code /__stats}. */
  private void count(RoutingContext ctx) {
    String path = ctx.request().path();
    if (!path.equals("/__stats")) {
      requests.incrementAndGet();
      if (!paths.add(path)) {
        repeats.incrementAndGet();
      }
    }
    ctx.next();
  }

  private void stats(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
      .put("requests", requests.get()).put("distinctPaths", paths.size()).put("repeated", repeats.get()).encode());
  }

  /**
   * The shop's front page: the demo's few products directly; a big shop ({@code trawl site})
   * links category pages of {@link #PER_CATEGORY} products each, as real shops do.
   */
  private void index(RoutingContext ctx) {
    StringBuilder html = new StringBuilder("<!doctype html><html><head><title>Trawl demo shop</title></head><body><ul>");
    if (products > PER_CATEGORY) {
      for (int c = 0; c * PER_CATEGORY < products; c++) {
        html.append("<li><a href=\"/c/").append(c).append("\">Teas, page ").append(c + 1).append("</a></li>");
      }
    } else {
      for (int n = 1; n <= products; n++) {
        html.append("<li><a href=\"/p/").append(n).append("\">").append(name(n)).append("</a></li>");
      }
    }
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html.append("</ul></body></html>").toString());
  }

  private void category(RoutingContext ctx) {
    int c = number(ctx.pathParam("n"));
    if (c < 0 || c * PER_CATEGORY >= products) {
      ctx.response().setStatusCode(404).end("no such category");
      return;
    }
    StringBuilder html = new StringBuilder("<!doctype html><html><head><title>Teas</title></head><body><a href=\"/\">home</a><ul>");
    for (int n = c * PER_CATEGORY + 1; n <= Math.min(products, (c + 1) * PER_CATEGORY); n++) {
      html.append("<li><a href=\"/p/").append(n).append("\">").append(name(n)).append("</a></li>");
    }
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html.append("</ul></body></html>").toString());
  }

  private void product(RoutingContext ctx) {
    int n = number(ctx.pathParam("n"));
    if (n < 1 || n > products) {
      ctx.response().setStatusCode(404).end("no such product");
      return;
    }
    Buffer head = Buffer.buffer("<!doctype html><html><head><title>" + name(n) + "</title></head><body>"
      + "<h1>" + name(n) + "</h1><p class=\"price\">" + price(n) + "</p>"
      + "<img class=\"cover\" src=\"/img/" + n + ".jpg\">"
      + "<ul class=\"tags\"><li>tea</li><li>" + (n % 2 == 0 ? "green" : "black") + "</li></ul>");
    Buffer tail = Buffer.buffer("<a href=\"/\">back</a><a href=\"/p/" + Math.max(1, n - 1) + "\">previous</a>"
      + "<a href=\"/p/" + Math.min(products, n + 1) + "\">next</a></body></html>");
    // The filler is made once and every answer writes that same buffer (Vert.x writes a slice of
    // it), so the site stays fast enough to measure a scraper against.
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
      .putHeader("Content-Length", String.valueOf(head.length() + filler.length() + tail.length()))
      .write(head);
    ctx.response().write(filler);
    ctx.response().end(tail);
  }

  private void productJson(RoutingContext ctx) {
    int n = number(ctx.pathParam("file").replace(".json", ""));
    if (n < 1 || n > products) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    ctx.response().putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("id", n).put("name", name(n)).put("price", price(n)).encode());
  }

  static String name(int n) {
    return "Tea no. " + n;
  }

  static String price(int n) {
    return String.format("€%d.%02d", 3 + n, (n * 37) % 100);
  }

  private static int number(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
