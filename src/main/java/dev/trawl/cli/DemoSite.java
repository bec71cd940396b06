package dev.trawl.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** A small shop on loopback for {@code make demo}: product pages, a JSON API, an index. */
public final class DemoSite {

  public static final int PRODUCTS = 24;
  static final int PER_CATEGORY = 100;

  private final int products;
  private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong repeats = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.Set<String> paths = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Filler text that brings a product page to roughly the size of a real one; made once, sent as is. */
  private final Buffer filler;

  private DemoSite(int products, int pageBytes) {
    this.products = products;
    String sentence = "<p>Picked by hand on a misty slope, rolled, withered and fired; brew it at 85 degrees.</p>";
    this.filler = Buffer.buffer(sentence.repeat(Math.max(0, pageBytes / sentence.length())));
  }

  /** Listens on 127.0.0.1 at a free port with the demo's {@link #PRODUCTS} products. */
  public static Future<HttpServer> start(Vertx vertx) {
    return start(vertx, 0, PRODUCTS, 0);
  }

  /** {@code trawl site [--port P] [--products N] [--page-bytes B] [--latency-ms MS]}: serves the shop until stopped (for benchmarks and trials). */
  public static int main(String[] args) {
    Flags flags;
    try {
      flags = Flags.parse(args, java.util.Set.of("--port", "--products", "--page-bytes", "--latency-ms"));
    } catch (IllegalArgumentException e) {
      System.err.println("trawl: usage: trawl site [--port P] [--products N] [--page-bytes B] [--latency-ms MS]");
      return RunCommand.USAGE;
    }
    int port = flags.integer("--port", 18080);
    int products = flags.integer("--products", 10_000);
    int pageBytes = flags.integer("--page-bytes", 20_000);
    long latencyMs = flags.number("--latency-ms", 0);
    Vertx vertx = Vertx.vertx();
    // One server per core on the same port: Vert.x spreads the connections over their event
    // loops, so the site is not what limits a benchmark of the scraper. They share one site, so
    // /__stats counts every request.
    DemoSite site = new DemoSite(products, pageBytes);
    HttpServer server = site.listen(vertx, port, latencyMs).await();
    for (int i = 1; i < Runtime.getRuntime().availableProcessors(); i++) {
      site.listen(vertx, server.actualPort(), latencyMs).await();
    }
    System.err.println("trawl site: " + products + " products at http://127.0.0.1:" + server.actualPort() + "/");
    return -1; // keep running
  }

  public static Future<HttpServer> start(Vertx vertx, int port, int products, int pageBytes) {
    return start(vertx, port, products, pageBytes, 0);
  }

  /** With {@code latencyMs} > 0 every answer waits that long, as a slow remote site would. */
  public static Future<HttpServer> start(Vertx vertx, int port, int products, int pageBytes, long latencyMs) {
    return new DemoSite(products, pageBytes).listen(vertx, port, latencyMs);
  }

  private Future<HttpServer> listen(Vertx vertx, int port, long latencyMs) {
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
