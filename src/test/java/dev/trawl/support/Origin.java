package dev.trawl.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The site tests scrape, one small named route per behaviour (in the manner of jsoup's test
 * server), on a random loopback port. It records what it saw, so tests can assert on the server
 * side: how often a path was hit, and which held requests saw their connection close.
 */
public final class Origin {

  private final Vertx vertx;
  private HttpServer server;
  private final AtomicInteger hits = new AtomicInteger();
  private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
  private final AtomicInteger slowNow = new AtomicInteger();
  private final AtomicInteger slowMax = new AtomicInteger();

  /** A request the origin received: its path, its path with the query, and when. */
  public record Arrival(String path, String uri, long nanos) {
  }
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private final AtomicInteger heldClosed = new AtomicInteger();
  private volatile Consumer<Integer> onHold = n -> { };
  private volatile Consumer<Integer> onHeldClosed = n -> { };

  public Origin(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Origin> start() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      hits.incrementAndGet();
      arrivals.add(new Arrival(ctx.request().path(), ctx.request().uri(), System.nanoTime()));
      ctx.next();
    });
    router.get("/page/:n").handler(this::page);
    router.get("/json/:n").handler(this::json);
    router.get("/json-as-html").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html").end("{\"a\":1}"));
    router.get("/bad-json").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end("{\"a\":"));
    router.get("/text").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("plain words"));
    router.get("/status/:code").handler(ctx -> ctx.response().setStatusCode(Integer.parseInt(ctx.pathParam("code"))).end());
    router.get("/slow/:ms").handler(this::slow);
    router.get("/hold").handler(this::hold);
    router.get("/redirect/:n").handler(this::redirect);
    router.get("/loop").handler(ctx -> ctx.response().setStatusCode(302).putHeader("Location", "/loop").end());
    router.get("/to-file").handler(ctx -> ctx.response().setStatusCode(302).putHeader("Location", "file:///etc/passwd").end());
    router.get("/big/:bytes").handler(this::big);
    router.get("/cookie/set").handler(ctx -> ctx.response().putHeader("Set-Cookie", "flavour=oolong; Path=/").end("set"));
    router.get("/cookie/echo").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("cookie", ctx.request().getHeader("Cookie"))
        .put("userAgents", new io.vertx.core.json.JsonArray(ctx.request().headers().getAll("User-Agent"))).encode()));
    router.post("/echo").handler(this::echo);
    Hostile.routes(vertx, router);
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(0, "127.0.0.1").map(this);
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code count} URLs: {@code prefix} followed by 0, 1, 2, … */
  public String[] urls(String prefix, int count) {
    String[] urls = new String[count];
    for (int i = 0; i < count; i++) {
      urls[i] = url(prefix + i);
    }
    return urls;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Every request received so far, in order of arrival. */
  public List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  /** The most {@code /slow} requests the origin was answering at once. */
  public int slowMaxConcurrent() {
    return slowMax.get();
  }

  /** Starts a new count for {@link #slowMaxConcurrent()}. */
  public void resetSlowMax() {
    slowMax.set(0);
  }

  public int hits() {
    return hits.get();
  }

  /** Called with the number of held requests each time one more arrives at {@code /hold}. */
  public void onHold(Consumer<Integer> listener) {
    onHold = listener;
  }

  /** Called with the number of held requests whose connection closed, each time one more does. */
  public void onHeldClosed(Consumer<Integer> listener) {
    onHeldClosed = listener;
  }

  /** Requests at {@code /hold} not answered and not closed yet. */
  public int holding() {
    return held.size();
  }

  public int heldClosed() {
    return heldClosed.get();
  }

  /** Answers every held request with a small page. */
  public void releaseHeld() {
    held.forEach(request -> request.response().putHeader("Content-Type", "text/html")
      .end("<html><head><title>released</title></head><body><h1>released</h1></body></html>"));
    held.clear();
  }

  private void page(RoutingContext ctx) {
    String n = ctx.pathParam("n");
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(
      "<!doctype html><html><head><title>Page " + n + "</title></head><body><h1>Page " + n + "</h1>"
        + "<p class=\"price\">€" + n + ".00</p><img class=\"cover\" src=\"/img/" + n + ".png\">"
        + "<ul class=\"tags\"><li>a</li><li>b</li></ul><a href=\"/page/" + n + "#top\">self</a>"
        + "<a href=\"other/x\">rel</a></body></html>");
  }

  private void json(RoutingContext ctx) {
    String n = ctx.pathParam("n");
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
      .put("id", Integer.parseInt(n)).put("name", "item " + n)
      .put("tags", new io.vertx.core.json.JsonArray().add("x").add("y")).encode());
  }

  private void slow(RoutingContext ctx) {
    long ms = Long.parseLong(ctx.pathParam("ms"));
    slowMax.accumulateAndGet(slowNow.incrementAndGet(), Math::max);
    vertx.setTimer(ms, id -> {
      slowNow.decrementAndGet();
      if (!ctx.response().closed()) {
        ctx.response().putHeader("Content-Type", "text/html").end("<h1>slow " + ms + "</h1>");
      }
    });
  }

  private void hold(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    held.add(request);
    request.connection().closeHandler(v -> {
      held.remove(request);
      onHeldClosed.accept(heldClosed.incrementAndGet());
    });
    onHold.accept(held.size());
  }

  private void redirect(RoutingContext ctx) {
    int n = Integer.parseInt(ctx.pathParam("n"));
    String next = n <= 1 ? "/page/1" : "/redirect/" + (n - 1);
    ctx.response().setStatusCode(302).putHeader("Location", next).end();
  }

  private void big(RoutingContext ctx) {
    int bytes = Integer.parseInt(ctx.pathParam("bytes"));
    ctx.response().putHeader("Content-Type", "text/plain").end(Buffer.buffer(new byte[bytes]));
  }

  private void echo(RoutingContext ctx) {
    ctx.request().body().onSuccess(body -> ctx.response().putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("method", ctx.request().method().name())
        .put("contentType", ctx.request().getHeader("Content-Type"))
        .put("body", body.toString()).encode()));
  }

  /** A promise completed when {@code count} requests are being held. */
  public Future<Void> whenHolding(int count) {
    Promise<Void> promise = Promise.promise();
    onHold(n -> {
      if (n >= count) {
        promise.tryComplete();
      }
    });
    if (held.size() >= count) {
      promise.tryComplete();
    }
    return promise.future();
  }
}
