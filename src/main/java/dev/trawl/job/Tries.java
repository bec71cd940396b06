package dev.trawl.job;

import dev.trawl.config.RetryPolicy;
import dev.trawl.config.Timeouts;
import dev.trawl.error.ErrorKind;
import dev.trawl.fetch.FetchOutcome;
import dev.trawl.fetch.FetchRequest;
import dev.trawl.web.CookieHeader;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's tries: those in flight, those waiting for a retry, which answer is current, and the
 * request each try sends (the job's headers and cookie jar merged with the request's own). A
 * request waiting for its retry holds no concurrency slot.
 */
final class Tries {

  /** A request waiting for its next try, and the timer that ends the wait. */
  private record RetryWait(Pending pending, long timerId) {
  }

  private final Engine engine;
  private final JobRun run;
  /** The job's cookies, plus those its responses set. */
  private final Map<String, String> cookies;
  private final Map<Long, Pending> inFlight = new HashMap<>();
  private final Map<Long, RetryWait> waiting = new HashMap<>();

  Tries(Engine engine, JobRun run) {
    this.engine = engine;
    this.run = run;
    this.cookies = new LinkedHashMap<>(run.spec().cookies());
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
      .map(outcome -> claim(pending, dispatchId, outcome));
  }

  private Optional<FetchOutcome> claim(Pending pending, long dispatchId, FetchOutcome outcome) {
    if (inFlight.get(pending.index()) != pending || !pending.isCurrent(dispatchId)) {
      return Optional.empty();
    }
    inFlight.remove(pending.index());
    outcome.setCookies().forEach(pair -> {
      Map.Entry<String, String> cookie = CookieHeader.pairOf(pair);
      if (cookie != null) {
        cookies.put(cookie.getKey(), cookie.getValue());
      }
    });
    return Optional.of(outcome);
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
    Map<String, String> headers = new LinkedHashMap<>(spec.headers());
    headers.putAll(req.headers());
    if (!cookies.isEmpty()) {
      String own = headers.keySet().stream().filter("cookie"::equalsIgnoreCase).findFirst()
        .map(headers::remove).orElse(null);
      headers.put("Cookie", CookieHeader.merge(cookies, CookieHeader.parse(own)));
    }
    Timeouts timeouts = req.timeouts() != null ? req.timeouts() : spec.timeouts();
    return new FetchRequest(run.id(), req.index(), pending.dispatchId(), req.url(), req.method(), headers, req.body(),
      timeouts, spec.parse(), spec.outputBody(), FetchRequest.Purpose.PAGE, spec.follow());
  }
}
