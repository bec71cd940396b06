package dev.trawl.fetch;

import dev.trawl.bus.Addresses;
import dev.trawl.bus.ReplyCodes;
import dev.trawl.config.FetchSettings;
import dev.trawl.config.TrawlConfig;
import dev.trawl.error.ErrorKind;
import dev.trawl.error.TrawlFailure;
import dev.trawl.parse.PageReader;
import dev.trawl.parse.ParsedPage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.TrustOptions;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fetches one try of one request ({@link FetchRequest} on {@code trawl.fetch}) and answers with
 * its {@link FetchOutcome}: the exchange on the wire by a {@link Fetcher} (redirects followed by
 * hand, the body cut at {@code fetch.maxBodyBytes}), the body read by a {@link PageReader}, and a
 * real total deadline that aborts the try. Also takes {@code trawl.fetch.abort} (a job's tries)
 * and {@code trawl.fetch.drain} (the node is stopping).
 */
public class FetchVerticle extends VerticleBase {

  /** Whether tries are taken: a draining node finishes those it has, a stopping one hands them back. */
  private enum Phase { SERVING, DRAINING, STOPPING }

  private FetchSettings settings;
  private Fetcher fetcher;
  private PageReader reader;
  private Phase phase = Phase.SERVING;
  /** Tries taken and not answered yet. */
  private int active;
  private final Map<String, Set<Exchange>> byJob = new HashMap<>();
  private final Promise<Void> stopped = Promise.promise();

  @Override
  public Future<?> start() {
    settings = FetchSettings.from(TrawlConfig.from(config()));
    reader = new PageReader(vertx, settings.parseOffloadBytes());
    // fetch.trustStore is a file: read on a worker, before any try is taken
    Future<TrustOptions> trust = settings.trustStore().isBlank() || settings.insecureTls() ? Future.succeededFuture(null)
      : vertx.executeBlocking(() -> TrustStores.jdkAnd(Path.of(settings.trustStore())), false);
    return trust.compose(options -> {
      fetcher = new Fetcher(vertx, settings, options);
      return listen();
    });
  }

  private Future<?> listen() {
    return Future.all(
      vertx.eventBus().<FetchRequest>consumer(Addresses.atNode(Addresses.FETCH, settings.nodeId()), this::onFetch).completion(),
      vertx.eventBus().<JsonObject>consumer(Addresses.FETCH_ABORT, this::onAbort).completion(),
      vertx.eventBus().<JsonObject>localConsumer(Addresses.FETCH_DRAIN, this::onDrain).completion());
  }

  private void onFetch(Message<FetchRequest> message) {
    if (phase != Phase.SERVING) {
      // The coordinator sends this try to another node; nothing is lost.
      message.fail(ReplyCodes.FETCH_DRAINING, "node " + settings.nodeId() + " is stopping and takes no new fetches");
      return;
    }
    Exchange exchange = begin(message.body());
    fetcher.fetch(exchange)
      .compose(page -> read(exchange, page))
      .recover(error -> Future.succeededFuture(exchange.failed(error)))
      .onSuccess(exchange::complete);
    exchange.outcome().onSuccess(outcome -> answer(message, exchange, outcome));
  }

  /** A try taken: tracked, and bounded by its total deadline. */
  private Exchange begin(FetchRequest request) {
    Exchange exchange = new Exchange(vertx, request, settings.nodeId());
    byJob.computeIfAbsent(request.jobId(), id -> new HashSet<>()).add(exchange);
    active++;
    long totalMs = request.timeouts().totalMs();
    exchange.timerId = vertx.setTimer(totalMs, id -> exchange.abort(new TrawlFailure(ErrorKind.TIMEOUT,
      "no complete answer within timeouts.totalMs=" + totalMs)));
    return exchange;
  }

  /** The answered page read for what it was fetched for. */
  private Future<FetchOutcome> read(Exchange exchange, Page page) {
    FetchRequest req = exchange.request;
    if (page.status() == 304 && req.conditional()) {
      return Future.succeededFuture(FetchOutcome.notModified(exchange, page)); // unchanged since the job it asked about
    }
    if (!page.isSuccess()) {
      return Future.succeededFuture(FetchOutcome.httpStatus(exchange, page));
    }
    byte[] body = page.body();
    return switch (req.purpose()) {
      case ROBOTS -> Future.succeededFuture(FetchOutcome.ok(exchange, page, reader.robots(body)));
      case SITEMAP -> reader.sitemap(req.follow(), body, page.contentType(), page.finalUrl())
        .map(listed -> FetchOutcome.ok(exchange, page, ParsedPage.EMPTY).withDiscovered(listed.pages(), listed.sitemaps()))
        .recover(error -> Future.succeededFuture(FetchOutcome.unreadable(exchange, page, error)));
      case PAGE -> reader.page(req.parse(), req.follow(), req.keepBody(), body, page.contentType(), page.finalUrl())
        .map(parsed -> FetchOutcome.ok(exchange, page, parsed));
    };
  }

  /** Replies once the try ended, however it ended, and says when a draining node has no try left. */
  private void answer(Message<FetchRequest> message, Exchange exchange, FetchOutcome outcome) {
    untrack(exchange);
    vertx.cancelTimer(exchange.timerId);
    if (phase == Phase.STOPPING) {
      message.fail(ReplyCodes.FETCH_ABANDONED, "node " + settings.nodeId() + " stopped before this try finished");
    } else {
      message.reply(outcome);
    }
    active--;
    if (phase == Phase.STOPPING && active == 0) {
      stopped.tryComplete();
    }
    if (phase != Phase.SERVING && active == 0) {
      sayIdle();
    }
  }

  /**
   * Undeployed while tries still run (a node stopped without a drain): they are aborted and
   * answered as {@link ReplyCodes#FETCH_ABANDONED}, so their coordinators fetch them again on other
   * nodes instead of recording the connection errors the shutdown itself causes.
   */
  @Override
  public Future<?> stop() {
    phase = Phase.STOPPING;
    if (active == 0) {
      return Future.succeededFuture();
    }
    for (Set<Exchange> exchanges : List.copyOf(byJob.values())) {
      abortAll(exchanges, "the node is stopping");
    }
    return stopped.future();
  }

  /** The node is stopping: take no new tries, and say so once those running have answered. */
  private void onDrain(Message<JsonObject> message) {
    if (phase == Phase.SERVING) {
      phase = Phase.DRAINING;
    }
    if (active == 0) {
      sayIdle();
    }
  }

  private void onAbort(Message<JsonObject> message) {
    abortAll(byJob.getOrDefault(message.body().getString("jobId"), Set.of()), "the job ended before this request finished");
  }

  /** Aborts every try of {@code exchanges}; each abort answers and untracks its try at once. */
  private static void abortAll(Collection<Exchange> exchanges, String why) {
    for (Exchange exchange : List.copyOf(exchanges)) {
      exchange.abort(new TrawlFailure(ErrorKind.CANCELLED, why));
    }
  }

  private void sayIdle() {
    vertx.eventBus().send(Addresses.FETCH_IDLE, new JsonObject().put("node", settings.nodeId()));
  }

  private void untrack(Exchange exchange) {
    Set<Exchange> exchanges = byJob.get(exchange.request.jobId());
    if (exchanges != null && exchanges.remove(exchange) && exchanges.isEmpty()) {
      byJob.remove(exchange.request.jobId());
    }
  }
}
