package dev.trawl.fetch;

import dev.trawl.config.FetchSettings;
import dev.trawl.error.ErrorKind;
import dev.trawl.error.ErrorKinds;
import dev.trawl.error.TrawlFailure;
import dev.trawl.web.HostNames;
import dev.trawl.web.PublicSuffixes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The exchange of one try on the wire: where to connect (the private-network guard), the request
 * with its headers and cookies, redirects followed by hand so every hop is checked, and the body
 * cut at {@code fetch.maxBodyBytes}. All fetch verticles of a node share one HTTP connection pool.
 *
 * <p>The only class that uses Vert.x internals, because nothing public does the job:
 * {@link WebClientInternal#addInterceptor} with {@link HttpContext} and {@link ClientPhase} is the
 * only way to reach the {@code HttpClientRequest} on the wire (to reset it when a try is aborted)
 * and to see a response's headers before its body is read (to refuse a body declared too large or
 * still encoded); {@link VertxInternal#nameResolver()} resolves a guarded host with the client's
 * own resolver, so the address checked is the one connected to.
 */
final class Fetcher {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  /** What Trawl decodes itself ({@link Inflation}); a job's own {@code Accept-Encoding} wins. */
  private static final String ACCEPT_ENCODING = "gzip, deflate";

  private final Vertx vertx;
  private final FetchSettings settings;
  private final Clients clients;
  /** Lets the interceptor find the try, and the body codec, a WebClient request belongs to. */
  private final Map<HttpRequest<?>, Hop> byRequest = new IdentityHashMap<>();
  private Future<Void> tlsLoaded;

  /** One request of a try on the wire: the try, and the codec its body is read by. */
  private record Hop(Exchange exchange, LimitedBody body) {
  }

  /** @param trust the JDK's CAs and {@code fetch.trustStore}'s, or null for the JDK's alone */
  Fetcher(Vertx vertx, FetchSettings settings, TrustOptions trust) {
    this.vertx = vertx;
    this.settings = settings;
    this.clients = new Clients(vertx, settings, trust, this::intercept);
  }

  /** The answer to {@code exchange}'s request, after any redirects. */
  Future<Page> fetch(Exchange exchange) {
    FetchRequest req = exchange.request;
    return fetchPage(exchange, req.url(), req.method(), req.body(), 0);
  }

  private Future<Page> fetchPage(Exchange exchange, String url, String method, String body, int hop) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Future.failedFuture(new TrawlFailure(ErrorKind.INVALID_REQUEST, "invalid URL " + url));
    }
    Future<Void> ready = "https".equalsIgnoreCase(uri.getScheme()) ? tlsLoaded() : Future.succeededFuture();
    Proxy proxy = exchange.request.proxy();
    return (exchange.waitsForPublicSuffixes() ? ready.compose(v -> publicSuffixesLoaded()) : ready)
      .compose(v -> serverFor(uri, exchange.request.guard(), proxy != null))
      .compose(server -> proxy == null ? send(exchange, uri, method, body, server, null)
        : proxyAddress(proxy, exchange.request.guard())
          .compose(address -> send(exchange, uri, method, body, server, proxy.options(address, exchange.request.timeouts().connectMs())))
          .recover(error -> Future.failedFuture(viaProxy(proxy, error)))
          .compose(response -> refusedByProxy(proxy, response)))
      .compose(response -> followOrFinish(exchange, uri, method, body, hop, response));
  }

  /**
   * The JDK's TLS classes, loaded on a worker thread when the first https URL comes: loading them
   * on the event loop would stall it (hundreds of ms on a cold JVM), and a job of plain http URLs
   * never pays for them at all. A failed load only means the request loads them itself.
   */
  private Future<Void> tlsLoaded() {
    if (tlsLoaded == null) {
      tlsLoaded = vertx.executeBlocking(Fetcher::loadTls, false).<Void>mapEmpty().otherwiseEmpty();
    }
    return tlsLoaded;
  }

  /**
   * The public-suffix list, read on a worker thread the first time a cookie set during a try names
   * a Domain (hundreds of ms on a cold JVM). Should it fail, such cookies are refused.
   */
  private Future<Void> publicSuffixesLoaded() {
    return vertx.executeBlocking(PublicSuffixes::load, false).<Void>mapEmpty().otherwiseEmpty();
  }

  private static Void loadTls() throws java.security.NoSuchAlgorithmException {
    javax.net.ssl.SSLContext.getDefault().createSSLEngine().getSupportedCipherSuites();
    return null;
  }

  private Future<Page> followOrFinish(Exchange exchange, URI uri, String method, String body, int hop,
                                     HttpResponse<Buffer> response) {
    exchange.received(uri.toString(), response.cookies());
    String location = response.getHeader(HttpHeaders.LOCATION);
    if (!REDIRECTS.contains(response.statusCode()) || location == null) {
      return Future.succeededFuture(new Page(uri.toString(), response));
    }
    int maxRedirects = exchange.request.guard().maxRedirects(); // the coordinator's, not this node's
    if (hop >= maxRedirects) {
      return Future.failedFuture(new TrawlFailure(ErrorKind.TOO_MANY_REDIRECTS,
        "more than fetch.maxRedirects=" + maxRedirects + " redirects, last to " + location));
    }
    URI next = Redirects.resolve(uri, location);
    if (next == null) {
      return Future.failedFuture(new TrawlFailure(ErrorKind.INVALID_REQUEST,
        "redirect to " + location + " is not an http(s) URL; not followed"));
    }
    boolean toGet = Redirects.becomesGet(response.statusCode(), method);
    return fetchPage(exchange, next.toString(), toGet ? "GET" : method, toGet ? null : body, hop + 1);
  }

  /**
   * Where to connect. A host that is an address in any spelling ({@code 127.1}, {@code 0x7f000001})
   * is connected to as that address. With {@code fetch.blockPrivateNetworks} on, a name is resolved
   * here and checked, and the connection goes to that very address, so no second DNS answer can
   * slip past the check; otherwise the client resolves names itself (null; through a SOCKS5 proxy,
   * the proxy does). The guard is the coordinator's, carried by the try. Through an HTTP proxy an
   * http URL goes as the URL itself: that proxy resolves its host again.
   */
  private Future<SocketAddress> serverFor(URI uri, FetchGuard guard, boolean proxied) {
    String host = HostNames.hostOf(uri);
    if (host == null) {
      return Future.failedFuture(new TrawlFailure(ErrorKind.INVALID_REQUEST, "no host in " + uri));
    }
    return checkedAddress(host, guard, resolved -> host + " is " + resolved.getHostAddress()
        + ", a private address (fetch.blockPrivateNetworks)")
      .recover(error -> Future.failedFuture(error instanceof IllegalArgumentException
        ? new TrawlFailure(ErrorKind.INVALID_REQUEST, error.getMessage()) : error))
      .map(resolved -> resolved == null ? null : SocketAddress.inetSocketAddress(new InetSocketAddress(
        proxied ? addressOnly(resolved) : resolved, HostNames.portOf(uri))));
  }

  /**
   * Where {@code host} is, as the private-network guard wants it: its address when it is a literal
   * in any spelling, or a guarded name resolved here (so that the check and the connection see the
   * same answer); null for a name the guard lets through, which is resolved where it is used.
   * Fails with an {@link IllegalArgumentException} for a malformed literal, with the resolver's
   * error, or as {@code blocked} with the message {@code whyBlocked} gives.
   */
  private Future<InetAddress> checkedAddress(String host, FetchGuard guard, Function<InetAddress, String> whyBlocked) {
    InetAddress literal;
    try {
      literal = HostNames.literalAddress(host);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    boolean guarded = guard.guards(host);
    if (literal == null && !guarded) {
      return Future.succeededFuture(null);
    }
    Future<InetAddress> address = literal != null ? Future.succeededFuture(literal)
      : ((VertxInternal) vertx).nameResolver().resolve(host);
    return address.compose(resolved -> guarded && PrivateAddresses.isBlocked(resolved)
      ? Future.failedFuture(new TrawlFailure(ErrorKind.BLOCKED, whyBlocked.apply(resolved)))
      : Future.succeededFuture(resolved));
  }

  /**
   * The address without the name it was resolved from: a proxy is then asked for the address
   * checked here (SOCKS5 by address, HTTP {@code CONNECT} to it), not for a name it would resolve
   * again. TLS still checks the URL's host name.
   */
  private static InetAddress addressOnly(InetAddress resolved) {
    try {
      return InetAddress.getByAddress(resolved.getAddress());
    } catch (java.net.UnknownHostException e) {
      return resolved; // cannot happen for an address of a valid length
    }
  }

  /**
   * The address to reach a proxy at: its own address checked by the same private-network guard as
   * the pages (a proxy on a private address must be listed in {@code fetch.allowPrivateHosts}).
   */
  private Future<String> proxyAddress(Proxy proxy, FetchGuard guard) {
    return checkedAddress(proxy.host(), guard, resolved -> "proxy " + proxy + " is " + resolved.getHostAddress()
        + ", a private address (fetch.blockPrivateNetworks; list " + proxy.host() + " in fetch.allowPrivateHosts)")
      .recover(error -> Future.failedFuture(error instanceof TrawlFailure ? error : new TrawlFailure(ErrorKind.PROXY,
        "proxy " + proxy + ": " + (error instanceof IllegalArgumentException ? error.getMessage()
          : "cannot resolve " + proxy.host()))))
      .map(resolved -> resolved == null ? proxy.host() : resolved.getHostAddress());
  }

  /**
   * A try through a proxy that got no answer: failing to connect to, authenticate to or tunnel
   * through the proxy is {@code proxy}; what happened after the answer began keeps its own kind.
   */
  private static Throwable viaProxy(Proxy proxy, Throwable error) {
    if (error instanceof TrawlFailure) {
      return error;
    }
    // Only what stops the connection to (or through) the proxy from being made: a reset or a close
    // once the answer flows is the server's, and keeps its own kind.
    boolean reaching = false;
    for (Throwable t = error; t != null && !reaching; t = t.getCause() == t ? null : t.getCause()) {
      reaching = t instanceof io.netty.handler.proxy.ProxyConnectException || t instanceof java.net.ConnectException
        || t instanceof io.netty.channel.ConnectTimeoutException || t instanceof java.net.UnknownHostException;
    }
    return reaching ? new TrawlFailure(ErrorKind.PROXY, "proxy " + proxy + ": " + ErrorKinds.messageOf(error)) : error;
  }

  /** A {@code 407} is the proxy's own answer (for http URLs an HTTP proxy answers in the server's stead). */
  private static Future<HttpResponse<Buffer>> refusedByProxy(Proxy proxy, HttpResponse<Buffer> response) {
    return response.statusCode() == 407
      ? Future.failedFuture(new TrawlFailure(ErrorKind.PROXY, "proxy " + proxy + " answered 407 "
        + (proxy.username() == null ? "(it wants credentials)" : "(it refused the credentials)")))
      : Future.succeededFuture(response);
  }


  private Future<HttpResponse<Buffer>> send(Exchange exchange, URI uri, String method, String body,
                                            SocketAddress server, ProxyOptions proxy) {
    FetchRequest req = exchange.request;
    LimitedBody codec = new LimitedBody(req.guard().maxBodyBytes(), exchange);
    // No connectTimeout on the request: in Vert.x 5 that is the wait for a pooled connection, which
    // only totalMs bounds; the TCP connect is bounded by the client's (Clients).
    HttpRequest<Buffer> request = clients.forConnectMs(req.timeouts().connectMs())
      .requestAbs(HttpMethod.valueOf(method), server, uri.toString())
      .followRedirects(false)
      .idleTimeout(req.timeouts().idleMs()) // the wait for the head; the body's silences: Exchange
      .as(codec);
    if (proxy != null) {
      request.proxy(proxy);
    }
    request.putHeaders(headersFor(exchange, uri));
    byRequest.put(request, new Hop(exchange, codec));
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
    return sent.andThen(done -> byRequest.remove(request));
  }

  private MultiMap headersFor(Exchange exchange, URI uri) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.set(HttpHeaders.USER_AGENT, settings.userAgent());
    headers.set(HttpHeaders.ACCEPT_ENCODING, ACCEPT_ENCODING);
    exchange.request.headers().forEach(headers::set);
    if (!exchange.atHome(uri)) {
      // A redirect left the request's origin: its credentials stay behind (web.Credentials).
      headers.remove(HttpHeaders.AUTHORIZATION).remove(HttpHeaders.PROXY_AUTHORIZATION).remove(HttpHeaders.COOKIE);
    }
    String cookies = exchange.cookieHeaderFor(uri, headers.get(HttpHeaders.COOKIE));
    if (cookies != null) {
      headers.set(HttpHeaders.COOKIE, cookies);
    }
    return headers;
  }

  /** Sees every phase of every WebClient exchange of this fetcher. */
  private void intercept(HttpContext<?> ctx) {
    Hop hop = byRequest.get(ctx.request());
    Exchange exchange = hop == null ? null : hop.exchange();
    if (exchange != null && ctx.phase() == ClientPhase.SEND_REQUEST) {
      exchange.attach(ctx.clientRequest());
    }
    TrawlFailure refused = exchange != null && ctx.phase() == ClientPhase.RECEIVE_RESPONSE
      ? refusal(ctx, hop.body(), exchange.request.guard().maxBodyBytes()) : null;
    if (exchange != null && ctx.phase() == ClientPhase.RECEIVE_RESPONSE && refused == null) {
      exchange.bodyStarts();
    }
    if (refused != null) {
      // Refused before reading a byte; failing the context (not just returning) lets the
      // WebClient settle its future, and the abort resets the connection under it.
      exchange.abort(refused);
      ctx.fail(refused);
      return;
    }
    ctx.next();
  }

  /**
   * Why a response is refused on its headers, or null (and then {@code body} decodes what its
   * {@code Content-Encoding} says): a {@code Content-Length} of a plain body over the limit, or a
   * coding Trawl does not decode ({@code br}, {@code gzip, gzip}), whose bytes are still encoded.
   */
  private TrawlFailure refusal(HttpContext<?> ctx, LimitedBody body, long maxBodyBytes) {
    String encoding = ctx.clientResponse().getHeader(HttpHeaders.CONTENT_ENCODING);
    Inflation.Coding coding = Inflation.codingOf(encoding);
    if (coding == null) {
      return new TrawlFailure(ErrorKind.PARSE, "the body is encoded as '" + encoding
        + "', which Trawl cannot decode; its bytes are not reported as a page");
    }
    String length = ctx.clientResponse().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (coding == Inflation.Coding.IDENTITY && over(length, maxBodyBytes)) {
      return new TrawlFailure(ErrorKind.TOO_LARGE, "Content-Length " + length + " is over fetch.maxBodyBytes="
        + maxBodyBytes);
    }
    body.decodeFrom(coding);
    return null;
  }

  private static boolean over(String length, long max) {
    try {
      return length != null && Long.parseLong(length.trim()) > max;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
