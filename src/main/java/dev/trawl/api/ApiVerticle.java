package dev.trawl.api;

import dev.trawl.bus.Addresses;
import dev.trawl.bus.Rejection;
import dev.trawl.bus.ReplyCodes;
import dev.trawl.config.HttpSettings;
import dev.trawl.config.TrawlConfig;
import dev.trawl.error.Messages;
import dev.trawl.sink.ResultsFile;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.List;

/**
 * The HTTP API (SPEC "HTTP API"), a thin edge over the event-bus API: every call becomes a
 * request to the coordinator, and its failure codes become HTTP statuses.
 */
public class ApiVerticle extends VerticleBase {

  /** When to ask again for the results of a job whose coordinating node is not in the cluster now. */
  private static final int GONE_RETRY_SECONDS = 5;

  private HttpSettings settings;
  private EventBus bus;
  private HttpServer server;
  /** Results streams open on this node, at most {@code http.maxResultStreams}. */
  private int resultStreams;

  @Override
  public Future<?> start() {
    settings = HttpSettings.from(TrawlConfig.from(config()));
    bus = vertx.eventBus();
    IdleConnections idle = new IdleConnections(vertx, settings.idleTimeoutMs());
    // No h2c: with it a connection reaches connectionHandler only once it sends bytes, so a silent one would never idle out
    var options = new HttpServerOptions().setCompressionSupported(true).setHttp2ClearTextEnabled(false);
    server = vertx.createHttpServer(options).connectionHandler(idle::opened);
    return server.requestHandler(router(idle)).listen(settings.port(), settings.host());
  }

  private Router router(IdleConnections idle) {
    Router router = Router.router(vertx);
    router.route().handler(idle::request); // first: a connection with a request in progress is not idle
    if (!settings.authenticates()) {
      router.route().handler(this::checkHost); // before /health too: it names the nodes of the cluster
    }
    router.get("/health").handler(this::health);
    if (settings.authenticates()) {
      router.route().handler(this::authenticate);
    }
    router.get("/metrics").handler(this::metrics);
    router.post("/jobs").handler(this::requireJson);
    router.post("/jobs").handler(this::boundBodyTime);
    router.post("/jobs").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()));
    router.post("/jobs").handler(this::submit);
    router.get("/jobs").handler(this::list);
    router.get("/jobs/:id").handler(this::get);
    router.get("/jobs/:id/results").handler(this::results);
    router.delete("/jobs/:id").handler(this::cancel);
    router.post("/jobs/:id/pause").handler(ctx -> jobCall(ctx, Addresses.JOBS_PAUSE));
    router.post("/jobs/:id/resume").handler(ctx -> jobCall(ctx, Addresses.JOBS_RESUME));
    router.get("/hosts").handler(this::hosts);
    router.get("/hosts/:host").handler(ctx -> hostCall(ctx, Addresses.HOSTS_GET, new JsonObject()));
    router.put("/hosts/:host").handler(this::requireJson);
    router.put("/hosts/:host").handler(this::boundBodyTime);
    router.put("/hosts/:host").handler(BodyHandler.create(false).setBodyLimit(Math.min(settings.maxBodyBytes(), 65_536)));
    router.put("/hosts/:host").handler(this::setHost);
    router.delete("/hosts/:host").handler(ctx -> hostCall(ctx, Addresses.HOSTS_CLEAR, new JsonObject()));
    router.route().failureHandler(this::failure);
    router.errorHandler(404, ctx -> json(ctx, 404, new JsonObject().put("error", "no such resource")));
    router.errorHandler(405, ctx -> json(ctx, 405, new JsonObject().put("error", "method not allowed")));
    return router;
  }

  private void health(RoutingContext ctx) {
    var jobs = bus.<JsonObject>request(here(Addresses.JOBS_LIST), new JsonObject().put("forwarded", true));
    var members = bus.<JsonObject>request(Addresses.NODE_MEMBERS, new JsonObject());
    Future.all(jobs, members)
      .onSuccess(both -> json(ctx, 200, new JsonObject().put("status", "UP").put("node", settings.nodeId())
        .put("jobs", jobs.result().body().getJsonArray("jobs").size())
        .put("nodes", members.result().body().getJsonArray("nodes"))))
      .onFailure(error -> json(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", error.getMessage())));
  }

  /**
   * Without a token, loopback is the only protection, and DNS rebinding would get round it: a page
   * whose name is made to resolve to 127.0.0.1 could call the API. It still sends its own name.
   */
  private void checkHost(RoutingContext ctx) {
    String host = ctx.request().getHeader(HttpHeaders.HOST);
    if (host == null && ctx.request().authority() != null) {
      host = ctx.request().authority().toString(); // HTTP/2 sends :authority instead
    }
    if (RequestRules.hostAllowed(host, settings.host())) {
      ctx.next();
    } else {
      json(ctx, 421, new JsonObject().put("error", "the Host header does not name this node: without http.token"
        + " the API answers only to localhost, 127.0.0.0/8, [::1] and http.host"));
    }
  }

  /** A cross-site form can post text/plain without asking first; it cannot post JSON. */
  private void requireJson(RoutingContext ctx) {
    if (RequestRules.isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
      ctx.next();
    } else {
      json(ctx, 415, new JsonObject().put("error", "POST /jobs takes Content-Type: application/json"));
    }
  }

  /** A body sent slowly (or never finished) holds a connection and a buffer: it gets {@code http.bodyTimeoutMs}. */
  private void boundBodyTime(RoutingContext ctx) {
    long timer = vertx.setTimer(settings.bodyTimeoutMs(), id -> {
      if (!ctx.request().isEnded() && !ctx.response().ended()) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        json(ctx, 408, new JsonObject().put("error", "the request body did not arrive within http.bodyTimeoutMs="
          + settings.bodyTimeoutMs()));
        ctx.request().connection().close();
      }
    });
    ctx.addEndHandler(v -> vertx.cancelTimer(timer));
    ctx.next();
  }

  private void authenticate(RoutingContext ctx) {
    if (RequestRules.bearerMatches(ctx.request().getHeader(HttpHeaders.AUTHORIZATION), settings.token())) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      json(ctx, 401, new JsonObject().put("error", "missing or wrong bearer token"));
    }
  }

  private void metrics(RoutingContext ctx) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry == null) {
      json(ctx, 503, new JsonObject().put("error", "metrics are not enabled on this node"));
    } else {
      PrometheusScrapingHandler.create().handle(ctx);
    }
  }

  /** The request's body as a JSON object; null, once answered with 400, when it is not one. */
  private static JsonObject jsonBody(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      problems(ctx, "the body is not a JSON object", new JsonArray().add(Messages.brief(e.getMessage())));
      return null;
    }
    if (body == null) {
      problems(ctx, "the body is not a JSON object", new JsonArray().add("empty body"));
    }
    return body;
  }

  private void submit(RoutingContext ctx) {
    JsonObject job = jsonBody(ctx);
    if (job == null) {
      return;
    }
    boolean wait = "true".equals(ctx.request().getParam("wait"));
    bus.<JsonObject>request(here(Addresses.JOBS_SUBMIT), job)
      .onSuccess(reply -> {
        String id = reply.body().getString("id");
        if (wait) {
          waitForEnd(ctx, id);
        } else {
          json(ctx, 202, reply.body().put("links", links(id)));
        }
      })
      .onFailure(error -> replyFailure(ctx, error));
  }

  /** {@code ?wait=true}: subscribe to the job's end, then check it has not ended already. */
  private void waitForEnd(RoutingContext ctx, String id) {
    MessageConsumer<JsonObject> done = bus.consumer(Addresses.done(id));
    done.handler(message -> {
      done.unregister();
      json(ctx, 200, message.body());
    });
    ctx.addEndHandler(v -> done.unregister()); // ended, or the connection closed
    done.completion()
      .compose(v -> bus.<JsonObject>request(here(Addresses.JOBS_GET), new JsonObject().put("id", id)))
      .onSuccess(reply -> {
        JsonObject summary = reply.body();
        boolean over = summary.getString("endedAt") != null || summary.getBoolean("coordinatorGone", false);
        if (over && !ctx.response().ended()) {
          done.unregister();
          json(ctx, 200, summary);
        }
      })
      .onFailure(error -> {
        done.unregister();
        replyFailure(ctx, error);
      });
  }

  private void list(RoutingContext ctx) {
    bus.<JsonObject>request(here(Addresses.JOBS_LIST), new JsonObject())
      .onSuccess(reply -> json(ctx, 200, reply.body()))
      .onFailure(error -> replyFailure(ctx, error));
  }

  private void get(RoutingContext ctx) {
    bus.<JsonObject>request(here(Addresses.JOBS_GET), new JsonObject().put("id", ctx.pathParam("id")))
      .onSuccess(reply -> json(ctx, 200, reply.body()))
      .onFailure(error -> replyFailure(ctx, error));
  }

  private void cancel(RoutingContext ctx) {
    jobCall(ctx, Addresses.JOBS_CANCEL);
  }

  /** {@code GET /hosts?limit=N}: hosts active lately, most active first. */
  private void hosts(RoutingContext ctx) {
    String param = ctx.request().getParam("limit");
    int limit;
    try {
      limit = param == null ? 100 : Integer.parseInt(param);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > 10_000) {
      problems(ctx, "invalid query", new JsonArray().add("limit must be a whole number from 1 to 10000"));
      return;
    }
    bus.<JsonObject>request(here(Addresses.HOSTS_LIST), new JsonObject().put("limit", limit))
      .onSuccess(reply -> json(ctx, 200, reply.body()))
      .onFailure(error -> replyFailure(ctx, error));
  }

  private void setHost(RoutingContext ctx) {
    JsonObject change = jsonBody(ctx);
    if (change == null) {
      return;
    }
    if (change.containsKey("host")) {
      problems(ctx, "invalid host setting", new JsonArray().add("the host is named by the path, not the body"));
      return;
    }
    hostCall(ctx, Addresses.HOSTS_SET, change);
  }

  /** A call about one host ({@code host:port} in the path): 200 and its state. */
  private void hostCall(RoutingContext ctx, String address, JsonObject call) {
    bus.<JsonObject>request(here(address), call.copy().put("host", ctx.pathParam("host")))
      .onSuccess(reply -> json(ctx, 200, reply.body()))
      .onFailure(error -> replyFailure(ctx, error));
  }

  /** A call about one job ({@code cancel}, {@code pause}, {@code resume}): 200 and its summary. */
  private void jobCall(RoutingContext ctx, String address) {
    bus.<JsonObject>request(here(address), new JsonObject().put("id", ctx.pathParam("id")))
      .onSuccess(reply -> json(ctx, 200, reply.body()))
      .onFailure(error -> replyFailure(ctx, error));
  }

  private void results(RoutingContext ctx) {
    long from;
    try {
      String param = ctx.request().getParam("from");
      from = param == null ? 0 : Long.parseLong(param);
    } catch (NumberFormatException e) {
      problems(ctx, "invalid query", new JsonArray().add("from must be a whole number (a seq)"));
      return;
    }
    String id = ctx.pathParam("id");
    bus.<JsonObject>request(here(Addresses.JOBS_GET), new JsonObject().put("id", id))
      .onSuccess(reply -> streamResults(ctx, id, reply.body(), from))
      .onFailure(error -> replyFailure(ctx, error));
  }

  /** The results file is on the node coordinating the job: read here, or through that node's sink. */
  private void streamResults(RoutingContext ctx, String id, JsonObject summary, long from) {
    String coordinator = summary.getString("coordinator");
    if (summary.getBoolean("coordinatorGone", false)) {
      // Its node resumes the job when it starts again on its directory: come back then.
      ctx.response().putHeader("Retry-After", String.valueOf(GONE_RETRY_SECONDS));
      json(ctx, 503, new JsonObject().put("error", "the results of job " + id + " are on node " + coordinator
        + ", which is not in the cluster now").put("summary", summary));
      return;
    }
    if (resultStreams >= settings.maxResultStreams()) {
      json(ctx, 503, new JsonObject().put("error", "this node already serves http.maxResultStreams="
        + settings.maxResultStreams() + " results streams; try again later"));
      return;
    }
    String output = summary.getString("output");
    ResultsFile file = settings.nodeId().equals(coordinator) ? ResultsFile.local(vertx, id, output)
      : ResultsFile.remote(vertx, coordinator, id, output);
    ResultsStream stream = new ResultsStream(vertx, ctx.request(), id, file, here(Addresses.JOBS_GET), from,
      settings.streamStallMs());
    resultStreams++;
    stream.ended().onComplete(v -> resultStreams--);
    stream.start(summary.getString("endedAt") != null);
  }

  /** {@code address} as this node serves it: a job submitted here is coordinated here. */
  private String here(String address) {
    return Addresses.atNode(address, settings.nodeId());
  }

  private void failure(RoutingContext ctx) {
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    String error = switch (status) {
      case 413 -> "the request body is over http.maxBodyBytes=" + settings.maxBodyBytes();
      case 404 -> "no such resource";
      case 405 -> "method not allowed";
      default -> "internal error";
    };
    if (!ctx.response().ended()) {
      json(ctx, status, new JsonObject().put("error", error));
    }
  }

  /** Maps an event-bus rejection to the HTTP status with the same meaning. */
  private void replyFailure(RoutingContext ctx, Throwable error) {
    Rejection rejection = Rejection.of(error);
    if (rejection == null) {
      json(ctx, 503, new JsonObject().put("error", "the coordinator did not answer: " + error.getMessage()));
      return;
    }
    if (rejection.code() == ReplyCodes.QUEUE_FULL) {
      ctx.response().putHeader("Retry-After", String.valueOf(Rejection.QUEUE_FULL_RETRY_SECONDS));
    }
    boolean known = List.of(ReplyCodes.INVALID, ReplyCodes.NOT_FOUND, ReplyCodes.CONFLICT, ReplyCodes.QUEUE_FULL,
        ReplyCodes.UNAVAILABLE)
      .contains(rejection.code());
    json(ctx, known ? rejection.code() : 500, rejection.body());
  }

  private static void problems(RoutingContext ctx, String error, JsonArray problems) {
    json(ctx, 400, new JsonObject().put("error", error).put("problems", problems));
  }

  private static JsonObject links(String id) {
    return new JsonObject().put("self", "/jobs/" + id).put("results", "/jobs/" + id + "/results");
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

}
