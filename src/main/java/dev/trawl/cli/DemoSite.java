package dev.trawl.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** A small shop on loopback for {@code make demo}: product pages, a JSON API, an index. */
public final class DemoSite {

  public static final int PRODUCTS = 24;

  private final int products;
  /** Filler text that brings a product page to roughly the size of a real one. */
  private final String filler;

  private DemoSite(int products, int pageBytes) {
    this.products = products;
    String sentence = "<p>Picked by hand on a misty slope, rolled, withered and fired; brew it at 85 degrees.</p>";
    this.filler = sentence.repeat(Math.max(0, pageBytes / sentence.length()));
  }

  /** Listens on 127.0.0.1 at a free port with the demo's {@link #PRODUCTS} products. */
  public static Future<HttpServer> start(Vertx vertx) {
    return start(vertx, 0, PRODUCTS, 0);
  }

  /** {@code trawl site [--port P] [--products N] [--page-bytes B]}: serves the shop until stopped (for benchmarks and trials). */
  public static int main(String[] args) {
    int port = 18080;
    int products = 10_000;
    int pageBytes = 20_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--products" -> products = Integer.parseInt(args[i + 1]);
        case "--page-bytes" -> pageBytes = Integer.parseInt(args[i + 1]);
        default -> {
          System.err.println("trawl: usage: trawl site [--port P] [--products N] [--page-bytes B]");
          return RunCommand.USAGE;
        }
      }
    }
    Vertx vertx = Vertx.vertx();
    HttpServer server = start(vertx, port, products, pageBytes).await();
    System.err.println("trawl site: " + products + " products at http://127.0.0.1:" + server.actualPort() + "/");
    return -1; // keep running
  }

  public static Future<HttpServer> start(Vertx vertx, int port, int products, int pageBytes) {
    DemoSite site = new DemoSite(products, pageBytes);
    Router router = Router.router(vertx);
    router.get("/").handler(site::index);
    router.get("/p/:n").handler(site::product);
    router.get("/api/products/:file").handler(site::productJson);
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
  }

  private void index(RoutingContext ctx) {
    StringBuilder html = new StringBuilder("<!doctype html><html><head><title>Trawl demo shop</title></head><body><ul>");
    for (int n = 1; n <= products; n++) {
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
    String html = "<!doctype html><html><head><title>" + name(n) + "</title></head><body>"
      + "<h1>" + name(n) + "</h1><p class=\"price\">" + price(n) + "</p>"
      + "<img class=\"cover\" src=\"/img/" + n + ".jpg\">"
      + "<ul class=\"tags\"><li>tea</li><li>" + (n % 2 == 0 ? "green" : "black") + "</li></ul>" + filler
      + "<a href=\"/\">back</a></body></html>";
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html);
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
