package dev.trawl.fetch;

import dev.trawl.error.ErrorKind;
import dev.trawl.error.ErrorKinds;
import dev.trawl.error.TrawlFailure;
import dev.trawl.error.UnexpectedFailures;
import dev.trawl.web.CookieHeader;
import dev.trawl.web.CookieJar;
import dev.trawl.web.Credentials;
import dev.trawl.web.PublicSuffixes;
import dev.trawl.web.Redact;
import dev.trawl.web.SetCookie;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One try in flight on a fetch verticle: it ends exactly once, either by its own chain or by an
 * abort (total deadline, cancel, a refused body), and an abort also resets the HTTP exchange on the
 * wire so the connection is freed and the server sees it close. While a body is read, silence
 * longer than {@code timeouts.idleMs} between two reads aborts it too (the client's own idle timeout
 * bounds only the wait for the response head). Confined to the verticle's event loop.
 */
final class Exchange implements LimitedBody.Reader {

  private static final System.Logger LOG = System.getLogger(FetchVerticle.class.getName());

  final FetchRequest request;
  /** The node that fetches it, as results name it. */
  final String node;
  final String startedAt = Instant.now().toString();
  private final long startNanos = System.nanoTime();
  /** The {@code Set-Cookie} headers of this try's responses, for the job's jar; empty while none came. */
  private List<SetCookie> received = List.of();
  /** How many of {@link #received} are in {@link #jar}. */
  private int applied;
  /** Cookies set during this try, sent on later hops where they match; null while none was set. */
  private CookieJar jar;
  /** The request's origin: its credentials are sent to no other. */
  private String home;
  private final Promise<FetchOutcome> outcome = Promise.promise();
  private HttpClientRequest wire;
  private Throwable abortCause;
  long timerId = -1;
  private final Vertx vertx;
  /** The silence timer while a body is read, or -1; it fires idleMs after it was set and looks at {@link #lastRead}. */
  private long idleTimer = -1;
  private long lastRead;

  Exchange(Vertx vertx, FetchRequest request, String node) {
    this.vertx = vertx;
    this.request = request;
    this.node = node;
  }

  /** A response head arrived: from now on its body must not fall silent for longer than idleMs. */
  void bodyStarts() {
    read();
    if (idleTimer < 0 && !aborted()) {
      idleTimer = vertx.setTimer(request.timeouts().idleMs(), id -> checkSilence());
    }
  }

  @Override
  public void read() {
    lastRead = System.nanoTime();
  }

  @Override
  public void tooLarge(long maxBytes) {
    abort(new TrawlFailure(ErrorKind.TOO_LARGE, "body larger than fetch.maxBodyBytes=" + maxBytes));
  }

  @Override
  public void ended() {
    stopIdleTimer();
  }

  /** One timer per body, not one per read: it is set again for what is left of idleMs since the last read. */
  private void checkSilence() {
    long idleMs = request.timeouts().idleMs();
    long silentMs = (System.nanoTime() - lastRead) / 1_000_000;
    if (silentMs < idleMs) {
      idleTimer = vertx.setTimer(idleMs - silentMs, id -> checkSilence());
      return;
    }
    idleTimer = -1;
    abort(new TrawlFailure(ErrorKind.TIMEOUT, "the body fell silent for " + idleMs + " ms (timeouts.idleMs)"));
  }

  private void stopIdleTimer() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
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

  /** Keeps the {@code Set-Cookie} headers of the response to {@code url}. */
  void received(String url, List<String> setCookies) {
    if (setCookies.isEmpty()) {
      return;
    }
    if (received.isEmpty()) {
      received = new ArrayList<>();
    }
    setCookies.forEach(header -> received.add(new SetCookie(url, header)));
  }

  /** Whether a cookie set during this try names a Domain while the public-suffix list is not read yet. */
  boolean waitsForPublicSuffixes() {
    if (applied == received.size() || PublicSuffixes.loaded()) {
      return false;
    }
    return received.subList(applied, received.size()).stream().anyMatch(SetCookie::mayNameDomain);
  }

  /** Whether {@code uri} is on the request's own origin, where its credentials may go. */
  boolean atHome(URI uri) {
    if (home == null) {
      home = Credentials.originOf(request.url());
    }
    return Credentials.originOf(uri).equals(home);
  }

  /**
   * The {@code Cookie} header of a hop to {@code uri}: {@code own} (the request's, null once off
   * its origin) and, over it, the cookies set during this try that match {@code uri}; null for none.
   */
  String cookieHeaderFor(URI uri, String own) {
    if (received.isEmpty()) {
      return own;
    }
    long now = System.currentTimeMillis();
    for (; applied < received.size(); applied++) {
      if (jar == null) {
        jar = new CookieJar();
      }
      jar.receive(received.get(applied), now);
    }
    Map<String, String> set = jar == null ? Map.of() : jar.cookiesFor(uri, now);
    return set.isEmpty() ? own : CookieHeader.merge(CookieHeader.parse(own), set);
  }

  /** The {@code Set-Cookie} headers this try received, each with the URL that set it. */
  List<SetCookie> setCookies() {
    return received.isEmpty() ? List.of() : List.copyOf(received); // a late hop may still add to the list
  }

  /** The HTTP request now on the wire (changes on every redirect hop). */
  void attach(HttpClientRequest request) {
    wire = request;
    if (aborted()) {
      request.reset(0, abortCause);
    }
  }

  void complete(FetchOutcome result) {
    stopIdleTimer();
    outcome.tryComplete(result);
  }

  /**
   * The outcome of this try failing with {@code error}. After an abort its cause wins: what the
   * reset led to (a closed connection) is not why the try ended.
   */
  FetchOutcome failed(Throwable error) {
    Throwable cause = aborted() ? abortCause : error;
    UnexpectedFailures.log(LOG, "fetching " + Redact.url(request.url()), cause);
    return FetchOutcome.failed(this, ErrorKinds.kindOf(cause), ErrorKinds.messageOf(cause));
  }

  /** Ends the try with {@code cause} unless it already ended, and resets the exchange on the wire. */
  void abort(TrawlFailure cause) {
    if (outcome.future().isComplete()) {
      return;
    }
    stopIdleTimer();
    FetchOutcome result = failed(cause);
    abortCause = cause;
    outcome.tryComplete(result);
    if (wire != null) {
      wire.reset(0, cause);
    }
  }
}
