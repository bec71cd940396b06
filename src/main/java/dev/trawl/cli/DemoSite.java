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

  private DemoSite() {
  }

  /** Listens on 127.0.0.1 at a free port. */
  public static Future<HttpServer> start(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/").handler(DemoSite::index);
    router.get("/p/:n").handler(DemoSite::product);
    router.get("/api/products/:file").handler(DemoSite::productJson);
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1");
  }

  private static void index(RoutingContext ctx) {
    StringBuilder html = new StringBuilder("<!doctype html><html><head><title>Trawl demo shop</title></head><body><ul>");
    for (int n = 1; n <= PRODUCTS; n++) {
      html.append("<li><a href=\"/p/").append(n).append("\">").append(name(n)).append("</a></li>");
    }
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html.append("</ul></body></html>").toString());
  }

  private static void product(RoutingContext ctx) {
    int n = number(ctx.pathParam("n"));
    if (n < 1 || n > PRODUCTS) {
      ctx.response().setStatusCode(404).end("no such product");
      return;
    }
    String html = "<!doctype html><html><head><title>" + name(n) + "</title></head><body>"
      + "<h1>" + name(n) + "</h1><p class=\"price\">" + price(n) + "</p>"
      + "<img class=\"cover\" src=\"/img/" + n + ".jpg\">"
      + "<ul class=\"tags\"><li>tea</li><li>" + (n % 2 == 0 ? "green" : "black") + "</li></ul>"
      + "<a href=\"/\">back</a></body></html>";
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html);
  }

  private static void productJson(RoutingContext ctx) {
    int n = number(ctx.pathParam("file").replace(".json", ""));
    if (n < 1 || n > PRODUCTS) {
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
