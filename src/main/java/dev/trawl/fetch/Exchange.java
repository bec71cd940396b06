package dev.trawl.fetch;

import dev.trawl.error.ErrorKind;
import dev.trawl.error.ErrorKinds;
import dev.trawl.error.TrawlFailure;
import dev.trawl.web.CookieHeader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One try in flight on a fetch verticle: it ends exactly once, either by its own chain or by an
 * abort (total deadline, cancel, a refused body), and an abort also resets the HTTP exchange on the
 * wire so the connection is freed and the server sees it close. Confined to the verticle's event loop.
 */
final class Exchange {

  private static final System.Logger LOG = System.getLogger(FetchVerticle.class.getName());

  final FetchRequest request;
  /** The node that fetches it, as results name it. */
  final String node;
  final String startedAt = Instant.now().toString();
  private final long startNanos = System.nanoTime();
  /** Cookies set by responses during this try, sent on the following redirect hops. */
  private final Map<String, String> cookies = new LinkedHashMap<>();
  private final Promise<FetchOutcome> outcome = Promise.promise();
  private HttpClientRequest wire;
  private Throwable abortCause;
  long timerId = -1;

  Exchange(FetchRequest request, String node) {
    this.request = request;
    this.node = node;
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

  /** Keeps the cookies a response set ({@code Set-Cookie} values), for the hops that follow. */
  void keepCookies(List<String> setCookies) {
    for (String setCookie : setCookies) {
      Map.Entry<String, String> pair = CookieHeader.pairOf(setCookie);
      if (pair != null) {
        cookies.put(pair.getKey(), pair.getValue());
      }
    }
  }

  boolean hasCookies() {
    return !cookies.isEmpty();
  }

  /** The {@code Cookie} header of the next hop: {@code header}'s cookies, those set during this try over them. */
  String cookieHeaderOver(String header) {
    return CookieHeader.merge(CookieHeader.parse(header), cookies);
  }

  /** The cookies responses set, as {@code name=value} pairs. */
  List<String> cookiePairs() {
    List<String> pairs = new ArrayList<>();
    cookies.forEach((name, value) -> pairs.add(name + "=" + value));
    return pairs;
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

  /**
   * The outcome of this try failing with {@code error}. After an abort its cause wins: what the
   * reset led to (a closed connection) is not why the try ended.
   */
  FetchOutcome failed(Throwable error) {
    Throwable cause = aborted() ? abortCause : error;
    ErrorKind kind = ErrorKinds.kindOf(cause);
    if (kind == ErrorKind.INTERNAL) {
      LOG.log(System.Logger.Level.WARNING, "unexpected failure fetching " + request.url(), cause);
    }
    return FetchOutcome.failed(this, kind, ErrorKinds.messageOf(cause));
  }

  /** Ends the try with {@code cause} unless it already ended, and resets the exchange on the wire. */
  void abort(TrawlFailure cause) {
    if (outcome.future().isComplete()) {
      return;
    }
    FetchOutcome result = failed(cause);
    abortCause = cause;
    outcome.tryComplete(result);
    if (wire != null) {
      wire.reset(0, cause);
    }
  }
}
