package dev.trawl.fetch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientRequest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One try in flight on a fetch verticle: it ends exactly once, either by its own chain or by an
 * abort (total deadline, cancel), and an abort also resets the HTTP exchange on the wire so the
 * connection is freed and the server sees it close. Confined to the verticle's event loop.
 */
final class Exchange {

  final FetchRequest request;
  final String startedAt = Instant.now().toString();
  final long startNanos = System.nanoTime();
  /** Cookies set by responses during this try, sent on the following redirect hops. */
  final Map<String, String> cookies = new LinkedHashMap<>();
  private final Promise<FetchOutcome> outcome = Promise.promise();
  private HttpClientRequest wire;
  private Throwable abortCause;
  long timerId = -1;

  Exchange(FetchRequest request) {
    this.request = request;
  }

  Future<FetchOutcome> outcome() {
    return outcome.future();
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  boolean aborted() {
    return abortCause != null;
  }

  Throwable abortCause() {
    return abortCause;
  }

  /** The HTTP request now on the wire (changes on every redirect hop). */
  void attach(HttpClientRequest request) {
    wire = request;
    if (aborted()) {
      request.reset(0, abortCause);
    }
  }

  void complete(FetchOutcome result) {
    outcome.tryComplete(result);
  }

  /** Ends the try with {@code cause} unless it already ended, and resets the exchange on the wire. */
  void abort(Throwable cause, FetchOutcome result) {
    if (outcome.future().isComplete()) {
      return;
    }
    abortCause = cause;
    outcome.tryComplete(result);
    if (wire != null) {
      wire.reset(0, cause);
    }
  }
}
