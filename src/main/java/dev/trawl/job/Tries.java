package dev.trawl.job;

import dev.trawl.config.RetryPolicy;
import dev.trawl.config.Timeouts;
import dev.trawl.error.ErrorKind;
import dev.trawl.fetch.FetchOutcome;
import dev.trawl.fetch.FetchRequest;
import dev.trawl.web.CookieHeader;
import dev.trawl.web.CookieJar;
import dev.trawl.web.Credentials;
import dev.trawl.web.PublicSuffixes;
import dev.trawl.web.SetCookie;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's tries: those in flight, those waiting for a retry, which answer is current, and the
 * request each try sends (the job's headers and cookies, the cookie jar's and the request's own
 * headers). A request waiting for its retry holds no concurrency slot.
 *
 * <p>Credentials stay with their origin ({@link Credentials}): the job's {@code Authorization},
 * {@code Proxy-Authorization} and {@code Cookie} headers and its {@code cookies} go with the job's
 * own requests, and with a crawl's pages only where {@link Crawl#trusts} says so; a request's own
 * headers go with that request only; the jar's cookies go where RFC 6265 says they match.
 */
final class Tries {

  /** A request waiting for its next try, and the timer that ends the wait. */
  private record RetryWait(Pending pending, long timerId) {
  }

  private final Engine engine;
  private final JobRun run;
  /** The cookies the job's responses set (RFC 6265); null until one does, so a cookie-less job never pays for it. */
  private CookieJar jar;
  /** The job's crawl, which says where the job's own credentials may go; null for a job that does not follow links. */
  private Crawl crawl;
  private final Map<Long, Pending> inFlight = new HashMap<>();
  private final Map<Long, RetryWait> waiting = new HashMap<>();

  Tries(Engine engine, JobRun run) {
    this.engine = engine;
    this.run = run;
  }

  /** The job crawls: its credentials go to found pages only where {@code crawl} trusts them. */
  void crawling(Crawl crawl) {
    this.crawl = crawl;
  }

  int inFlight() {
    return inFlight.size();
  }

  /** Nothing in flight and nothing waiting for a retry. */
  boolean idle() {
    return inFlight.isEmpty() && waiting.isEmpty();
  }

  /**
   * Sends the request's next try. Completes with its outcome, or empty when the request got its
   * result meanwhile (its job ended): the answer is stale, though its fetch slot is free only now.
   */
  Future<Optional<FetchOutcome>> start(Pending pending) {
    pending.beginTry(engine.nextDispatchId());
    inFlight.put(pending.index(), pending);
    FetchRequest request = requestFor(pending);
    long dispatchId = pending.dispatchId();
    return engine.dispatcher().fetch(request)
      .otherwise(error -> FetchOutcome.failed(request, null, pending.startedAt(), pending.elapsedMs(),
        ErrorKind.INTERNAL, "no answer from a fetcher: " + error.getMessage()))
      .compose(this::withPublicSuffixes)
      .map(outcome -> claim(pending, dispatchId, outcome));
  }

  private Optional<FetchOutcome> claim(Pending pending, long dispatchId, FetchOutcome outcome) {
    if (inFlight.get(pending.index()) != pending || !pending.isCurrent(dispatchId)) {
      return Optional.empty();
    }
    inFlight.remove(pending.index());
    keepCookies(outcome.setCookies());
    return Optional.of(outcome);
  }

  private void keepCookies(List<SetCookie> setCookies) {
    if (setCookies.isEmpty()) {
      return;
    }
    if (jar == null) {
      jar = new CookieJar();
    }
    long now = System.currentTimeMillis();
    setCookies.forEach(setCookie -> jar.receive(setCookie, now));
  }

  /**
   * The outcome once the public-suffix list is read, when a cookie it brings names a Domain: the
   * list is read on a worker thread, once per node (hundreds of ms on a cold JVM).
   */
  private Future<FetchOutcome> withPublicSuffixes(FetchOutcome outcome) {
    if (PublicSuffixes.loaded() || outcome.setCookies().stream().noneMatch(SetCookie::mayNameDomain)) {
      return Future.succeededFuture(outcome);
    }
    return engine.vertx().executeBlocking(PublicSuffixes::load, false).otherwiseEmpty().map(outcome);
  }

  /** Whether a failed try is worth another, by the job's {@code retry} policy. */
  boolean retries(Pending pending, FetchOutcome outcome) {
    RetryPolicy retry = run.spec().retry();
    int status = outcome.errorKind() == ErrorKind.HTTP_STATUS ? outcome.status() : 0;
    return !outcome.ok() && pending.attempts() < retry.attempts() && retry.retries(outcome.errorKind().wire(), status);
  }

  /**
   * Completes when the request may be tried again: after the back-off, or the server's
   * {@code Retry-After} when longer (capped at {@code fetch.maxRetryAfterMs}). Never completes
   * when the job ends first ({@link #cancelAll}).
   */
  Future<Pending> retryLater(Pending pending, FetchOutcome outcome) {
    long backoff = run.spec().retry().backoffBefore(pending.attempts() + 1);
    long wait = Math.max(backoff, Math.min(outcome.retryAfterMs(), engine.settings().maxRetryAfterMs()));
    Promise<Pending> due = Promise.promise();
    long timerId = engine.vertx().setTimer(Math.max(1, wait), id -> {
      if (waiting.remove(pending.index()) != null) {
        due.complete(pending);
      }
    });
    waiting.put(pending.index(), new RetryWait(pending, timerId));
    return due.future();
  }

  /** The requests whose try is in flight now (a copy). */
  List<Pending> inFlightNow() {
    return new ArrayList<>(inFlight.values());
  }

  /** Every request in flight or waiting for a retry, removed: the job ends and each gets a cancelled result. */
  List<Pending> cancelAll() {
    List<Pending> cancelled = new ArrayList<>(inFlight.values());
    inFlight.clear();
    for (RetryWait wait : waiting.values()) {
      engine.vertx().cancelTimer(wait.timerId());
      cancelled.add(wait.pending());
    }
    waiting.clear();
    return cancelled;
  }

  private FetchRequest requestFor(Pending pending) {
    RequestSpec req = pending.request();
    JobSpec spec = run.spec();
    boolean jobCredentials = crawl == null || crawl.trusts(req);
    Map<String, String> headers = new LinkedHashMap<>(jobCredentials ? spec.headers() : Credentials.without(spec.headers()));
    req.headers().forEach((name, value) -> {
      headers.keySet().removeIf(name::equalsIgnoreCase); // the request's own header replaces the job's
      headers.put(name, value);
    });
    putCookies(req, headers, jobCredentials ? spec.cookies() : Map.of());
    Timeouts timeouts = req.timeouts() != null ? req.timeouts() : spec.timeouts();
    run.validators().putConditions(req.url(), req.method(), req.body() != null, spec.follow() != null, headers);
    return new FetchRequest(run.id(), req.index(), pending.dispatchId(), req.url(), req.method(), headers, req.body(),
      timeouts, spec.parse(), spec.outputBody(), FetchRequest.Purpose.PAGE, spec.follow(), engine.guard(),
      run.proxyFor(req.url()));
  }

  /**
   * The request's {@code Cookie} header: the job's cookies, those of the jar that match the URL over
   * them, then the header's own over both. Without job cookies or jar, the headers stay as they are.
   */
  private void putCookies(RequestSpec req, Map<String, String> headers, Map<String, String> jobCookies) {
    Map<String, String> fromJar = jar == null || jar.isEmpty() ? Map.of() : jarCookiesFor(req.url());
    if (fromJar.isEmpty() && jobCookies.isEmpty()) {
      return;
    }
    String name = headers.keySet().stream().filter("cookie"::equalsIgnoreCase).findFirst().orElse(null);
    String own = name == null ? null : headers.remove(name);
    Map<String, String> cookies = new LinkedHashMap<>(jobCookies);
    cookies.putAll(fromJar);
    headers.put("Cookie", CookieHeader.merge(cookies, CookieHeader.parse(own)));
  }

  private Map<String, String> jarCookiesFor(String url) {
    try {
      return jar.cookiesFor(new URI(url), System.currentTimeMillis());
    } catch (URISyntaxException e) {
      return Map.of(); // the fetcher reports the URL as invalid
    }
  }
}
