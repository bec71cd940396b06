package dev.trawl.fetch;

import dev.trawl.bus.Addresses;
import dev.trawl.bus.ReplyCodes;
import dev.trawl.config.TrawlConfig;
import dev.trawl.error.ErrorKind;
import dev.trawl.error.ErrorKinds;
import dev.trawl.error.TrawlFailure;
import dev.trawl.parse.Extractor;
import dev.trawl.parse.FollowSpec;
import dev.trawl.parse.Links;
import dev.trawl.parse.ParseAs;
import dev.trawl.parse.ParsedPage;
import dev.trawl.web.CookieHeader;
import dev.trawl.web.HostKey;
import dev.trawl.web.HostNames;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Fetches one try of one request ({@link FetchRequest} on {@code trawl.fetch}) and answers with
 * its {@link FetchOutcome}: redirects followed by hand (so every hop is checked), the body cut at
 * {@code fetch.maxBodyBytes}, a real total deadline that aborts the exchange, and large bodies
 * parsed on a worker thread. All instances on a node share one HTTP connection pool.
 */
public class FetchVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(FetchVerticle.class.getName());
  private static final int TCP_CONNECT_BACKSTOP_MS = 60_000;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private TrawlConfig cfg;
  // Read once: the config tree is a JSON object, and these are wanted on every request.
  private long maxBodyBytes;
  private int maxRedirects;
  private boolean blockPrivateNetworks;
  private String userAgent;
  private int parseOffloadBytes;
  private Set<String> allowedPrivateHosts;
  private HttpClient http;
  private WebClient client;
  private String node;
  /** Tries taken and not answered yet. */
  private int active;
  private boolean draining;
  /** Undeployed without a drain first: every try still running is handed back unanswered. */
  private boolean stopping;
  private io.vertx.core.Promise<Void> stopped;
  /** Lets the interceptor find the try a WebClient request belongs to. */
  private final Map<HttpRequest<?>, Exchange> byRequest = new IdentityHashMap<>();
  private final Map<String, Set<Exchange>> byJob = new HashMap<>();
  private final Map<FollowSpec, Links> linksByFollow = new HashMap<>();
  private Future<Void> tlsLoaded;

  @Override
  public Future<?> start() {
    cfg = TrawlConfig.from(config());
    allowedPrivateHosts = cfg.allowPrivateHosts();
    maxBodyBytes = cfg.maxBodyBytes();
    maxRedirects = cfg.maxRedirects();
    blockPrivateNetworks = cfg.blockPrivateNetworks();
    userAgent = cfg.userAgent();
    parseOffloadBytes = cfg.parseOffloadBytes();
    node = cfg.nodeId();
    http = vertx.createHttpClient(clientOptions(), new PoolOptions()
      .setHttp1MaxSize(cfg.perHostPool())
      .setHttp2MaxSize(cfg.perHostPool()));
    // The User-Agent is set per request (a job's own wins); the client's would be sent as well.
    client = WebClient.wrap(http, new WebClientOptions().setUserAgentEnabled(false));
    ((WebClientInternal) client).addInterceptor(this::intercept);
    return Future.all(
      vertx.eventBus().<FetchRequest>consumer(Addresses.atNode(Addresses.FETCH, node), this::onFetch).completion(),
      vertx.eventBus().<JsonObject>consumer(Addresses.FETCH_ABORT, this::onAbort).completion(),
      vertx.eventBus().<JsonObject>localConsumer(Addresses.FETCH_DRAIN, this::onDrain).completion());
  }

  /**
   * The JDK's TLS classes, loaded on a worker thread when the first https URL comes: loading them
   * on the event loop would stall it (hundreds of ms on a cold JVM), and a job of plain http URLs
   * never pays for them at all. A failed load only means the request loads them itself.
   */
  private Future<Void> tlsLoaded() {
    if (tlsLoaded == null) {
      tlsLoaded = vertx.executeBlocking(FetchVerticle::loadTls, false).<Void>mapEmpty().otherwiseEmpty();
    }
    return tlsLoaded;
  }

  private static Void loadTls() throws java.security.NoSuchAlgorithmException {
    javax.net.ssl.SSLContext.getDefault().createSSLEngine().getSupportedCipherSuites();
    return null;
  }

  private HttpClientOptions clientOptions() {
    return new HttpClientOptions()
      .setShared(true)
      .setName("trawl-fetch")
      .setKeepAlive(true)
      .setDecompressionSupported(true)
      .setTcpNoDelay(true)
      // A backstop only: each request's timeouts.connectMs bounds its own wait for a connection.
      .setConnectTimeout(TCP_CONNECT_BACKSTOP_MS);
  }

  private void onFetch(Message<FetchRequest> message) {
    if (draining) {
      // The coordinator sends this try to another node; nothing is lost.
      message.fail(ReplyCodes.FETCH_DRAINING, "node " + node + " is stopping and takes no new fetches");
      return;
    }
    Exchange exchange = new Exchange(message.body());
    track(exchange);
    active++;
    long totalMs = exchange.request.timeouts().totalMs();
    exchange.timerId = vertx.setTimer(totalMs, id -> abort(exchange, ErrorKind.TIMEOUT,
      "no complete answer within timeouts.totalMs=" + totalMs));
    fetchPage(exchange, exchange.request.url(), exchange.request.method(), exchange.request.body(), 0)
      .compose(page -> outcomeOf(exchange, page))
      .recover(error -> Future.succeededFuture(failure(exchange, error)))
      .onSuccess(exchange::complete);
    exchange.outcome().onSuccess(outcome -> {
      untrack(exchange);
      vertx.cancelTimer(exchange.timerId);
      if (stopping) {
        message.fail(ReplyCodes.FETCH_ABANDONED, "node " + node + " stopped before this try finished");
      } else {
        message.reply(outcome);
      }
      active--;
      if (stopping && active == 0) {
        stopped.tryComplete();
      }
      if (draining && active == 0) {
        vertx.eventBus().send(Addresses.FETCH_IDLE, new JsonObject().put("node", node));
      }
    });
  }

  /**
   * Undeployed while tries still run (a node stopped without a drain): they are aborted and
   * answered as {@link ReplyCodes#FETCH_ABANDONED}, so their coordinators fetch them again on other nodes instead
   * of recording the connection errors the shutdown itself causes.
   */
  @Override
  public Future<?> stop() {
    draining = true;
    stopping = true;
    stopped = io.vertx.core.Promise.promise();
    if (active == 0) {
      return Future.succeededFuture();
    }
    for (Set<Exchange> exchanges : List.copyOf(byJob.values())) {
      for (Exchange exchange : List.copyOf(exchanges)) {
        abort(exchange, ErrorKind.CANCELLED, "the node is stopping");
      }
    }
    return stopped.future();
  }

  /** The node is stopping: take no new tries, and say so once those running have answered. */
  private void onDrain(Message<JsonObject> message) {
    draining = true;
    if (active == 0) {
      vertx.eventBus().send(Addresses.FETCH_IDLE, new JsonObject().put("node", node));
    }
  }

  private void onAbort(Message<JsonObject> message) {
    String jobId = message.body().getString("jobId");
    for (Exchange exchange : List.copyOf(byJob.getOrDefault(jobId, Set.of()))) {
      abort(exchange, ErrorKind.CANCELLED, "the job ended before this request finished");
    }
  }

  private void abort(Exchange exchange, ErrorKind kind, String message) {
    TrawlFailure cause = new TrawlFailure(kind, message);
    exchange.abort(cause, failure(exchange, cause));
  }

  /** A fetched page: the last hop's response and the URL it came from. */
  private record Page(String finalUrl, HttpResponse<Buffer> response, List<String> cookies) {
  }

  private Future<Page> fetchPage(Exchange exchange, String url, String method, String body, int hop) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Future.failedFuture(new TrawlFailure(ErrorKind.INVALID_REQUEST, "invalid URL " + url));
    }
    Future<Void> ready = "https".equalsIgnoreCase(uri.getScheme()) ? tlsLoaded() : Future.succeededFuture();
    return ready
      .compose(v -> serverFor(uri))
      .compose(server -> send(exchange, uri, method, body, server))
      .compose(response -> followOrFinish(exchange, uri, method, body, hop, response));
  }

  private Future<Page> followOrFinish(Exchange exchange, URI uri, String method, String body, int hop,
                                      HttpResponse<Buffer> response) {
    keepCookies(exchange, response);
    String location = response.getHeader(HttpHeaders.LOCATION);
    if (!REDIRECTS.contains(response.statusCode()) || location == null) {
      return Future.succeededFuture(new Page(uri.toString(), response, List.copyOf(exchange.cookies.keySet())));
    }
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
   * slip past the check; otherwise the client resolves names itself (null).
   */
  private Future<SocketAddress> serverFor(URI uri) {
    String host = HostNames.hostOf(uri);
    InetAddress literal;
    try {
      literal = host == null ? null : HostNames.literalAddress(host);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new TrawlFailure(ErrorKind.INVALID_REQUEST, e.getMessage()));
    }
    if (host == null) {
      return Future.failedFuture(new TrawlFailure(ErrorKind.INVALID_REQUEST, "no host in " + uri));
    }
    boolean guarded = blockPrivateNetworks && !allowedPrivateHosts.contains(host);
    if (literal == null && !guarded) {
      return Future.succeededFuture(null);
    }
    Future<InetAddress> address = literal != null ? Future.succeededFuture(literal)
      : ((VertxInternal) vertx).nameResolver().resolve(host);
    return address.compose(resolved -> {
      if (guarded && PrivateAddresses.isBlocked(resolved)) {
        return Future.failedFuture(new TrawlFailure(ErrorKind.BLOCKED, host + " is " + resolved.getHostAddress()
          + ", a private address (fetch.blockPrivateNetworks)"));
      }
      return Future.succeededFuture(SocketAddress.inetSocketAddress(new InetSocketAddress(resolved, HostNames.portOf(uri))));
    });
  }

  private Future<HttpResponse<Buffer>> send(Exchange exchange, URI uri, String method, String body,
                                            SocketAddress server) {
    FetchRequest req = exchange.request;
    HttpRequest<Buffer> request = client
      .requestAbs(HttpMethod.valueOf(method), server, uri.toString())
      .followRedirects(false)
      .connectTimeout(req.timeouts().connectMs())
      .idleTimeout(req.timeouts().idleMs())
      .as(new LimitedBody(maxBodyBytes, max -> abort(exchange, ErrorKind.TOO_LARGE,
        "body larger than fetch.maxBodyBytes=" + max)));
    request.putHeaders(headersFor(exchange, uri));
    byRequest.put(request, exchange);
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
    return sent.andThen(done -> byRequest.remove(request));
  }

  private MultiMap headersFor(Exchange exchange, URI uri) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.set(HttpHeaders.USER_AGENT, userAgent);
    exchange.request.headers().forEach(headers::set);
    if (!HostKey.sameHost(uri, URI.create(exchange.request.url()))) {
      headers.remove(HttpHeaders.AUTHORIZATION); // never hand credentials to another host on a redirect
    }
    if (!exchange.cookies.isEmpty()) {
      headers.set(HttpHeaders.COOKIE, CookieHeader.merge(CookieHeader.parse(headers.get(HttpHeaders.COOKIE)), exchange.cookies));
    }
    return headers;
  }


  private static void keepCookies(Exchange exchange, HttpResponse<Buffer> response) {
    for (String setCookie : response.cookies()) {
      Map.Entry<String, String> pair = CookieHeader.pairOf(setCookie);
      if (pair != null) {
        exchange.cookies.put(pair.getKey(), pair.getValue());
      }
    }
  }

  /** Sees every phase of every WebClient exchange of this verticle. */
  private void intercept(HttpContext<?> ctx) {
    Exchange exchange = byRequest.get(ctx.request());
    if (exchange != null && ctx.phase() == ClientPhase.SEND_REQUEST) {
      exchange.attach(ctx.clientRequest());
    }
    if (exchange != null && ctx.phase() == ClientPhase.RECEIVE_RESPONSE && declaredTooLarge(ctx)) {
      // Refused before reading a byte; failing the context (not just returning) lets the
      // WebClient settle its future, and the abort resets the connection under it.
      TrawlFailure tooLarge = new TrawlFailure(ErrorKind.TOO_LARGE, "Content-Length "
        + ctx.clientResponse().getHeader(HttpHeaders.CONTENT_LENGTH) + " is over fetch.maxBodyBytes=" + maxBodyBytes);
      exchange.abort(tooLarge, failure(exchange, tooLarge));
      ctx.fail(tooLarge);
      return;
    }
    String undecoded = exchange == null || ctx.phase() != ClientPhase.RECEIVE_RESPONSE ? null : undecodedEncoding(ctx);
    if (undecoded != null) {
      TrawlFailure cannotDecode = new TrawlFailure(ErrorKind.PARSE, "the body is encoded as '" + undecoded
        + "', which Trawl cannot decode; its bytes are not reported as a page");
      exchange.abort(cannotDecode, failure(exchange, cannotDecode));
      ctx.fail(cannotDecode);
      return;
    }
    ctx.next();
  }

  /**
   * The client decodes gzip and deflate and then drops {@code Content-Encoding}; one that is still
   * there ({@code br} without a decoder, {@code gzip, gzip}) means the body is still encoded.
   */
  private static String undecodedEncoding(HttpContext<?> ctx) {
    String encoding = ctx.clientResponse().getHeader(HttpHeaders.CONTENT_ENCODING);
    return encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity") ? null : encoding;
  }

  private boolean declaredTooLarge(HttpContext<?> ctx) {
    String length = ctx.clientResponse().getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length != null && Long.parseLong(length.trim()) > maxBodyBytes;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private Future<FetchOutcome> outcomeOf(Exchange exchange, Page page) {
    HttpResponse<Buffer> response = page.response();
    int status = response.statusCode();
    if (status < 200 || status >= 300) {
      String message = "HTTP " + status + (response.statusMessage() == null ? "" : " " + response.statusMessage());
      return Future.succeededFuture(outcome(exchange, page, null, ErrorKind.HTTP_STATUS, message));
    }
    FetchRequest req = exchange.request;
    Buffer body = response.body() == null ? Buffer.buffer() : response.body();
    return switch (req.purpose()) {
      case ROBOTS -> Future.succeededFuture(outcome(exchange, page,
        new ParsedPage(null, null, body.toString(StandardCharsets.UTF_8), List.of()), null, null));
      case SITEMAP -> sitemap(exchange, page, body);
      case PAGE -> req.parse().as() == ParseAs.NONE && !req.keepBody() && req.follow() == null
        ? Future.succeededFuture(outcome(exchange, page, ParsedPage.EMPTY, null, null))
        : parse(exchange, page, body).map(parsed -> outcome(exchange, page, parsed, null, null));
    };
  }

  /** Small bodies are parsed in place; larger ones on a worker thread, never on the event loop. */
  private Future<ParsedPage> parse(Exchange exchange, Page page, Buffer body) {
    FetchRequest req = exchange.request;
    String contentType = page.response().getHeader(HttpHeaders.CONTENT_TYPE);
    byte[] bytes = LimitedBody.bytesOf(body);
    String followSelector = req.follow() == null ? null : req.follow().links();
    Links links = req.follow() == null ? null : linksFor(req.follow());
    // Normalising the links of a big page is work too: it goes wherever the parsing goes.
    Callable<ParsedPage> work = () -> {
      ParsedPage parsed = Extractor.extract(req.parse(), bytes, contentType, page.finalUrl(), req.keepBody(), followSelector);
      return links == null ? parsed : parsed.withFound(links.follow(page.finalUrl(), parsed.found()));
    };
    return offload(bytes.length, work);
  }

  /** A sitemap or sitemap index (XML, text, gzipped) read by crawler-commons, on a worker thread. */
  private Future<FetchOutcome> sitemap(Exchange exchange, Page page, Buffer body) {
    String contentType = page.response().getHeader(HttpHeaders.CONTENT_TYPE);
    byte[] bytes = LimitedBody.bytesOf(body);
    FollowSpec follow = exchange.request.follow();
    Links links = follow == null ? null : linksFor(follow);
    return vertx.executeBlocking(() -> {
        Sitemaps.Read read = Sitemaps.read(contentType, bytes, page.finalUrl());
        return links == null ? read : new Sitemaps.Read(links.follow(page.finalUrl(), read.pages()), read.sitemaps());
      }, false)
      .map(read -> withDiscovered(outcome(exchange, page, ParsedPage.EMPTY, null, null), read.pages(), read.sitemaps()))
      .recover(error -> Future.succeededFuture(outcome(exchange, page, null, ErrorKind.PARSE,
        "not a sitemap: " + ErrorKinds.messageOf(error))));
  }

  private <T> Future<T> offload(int size, Callable<T> work) {
    if (size > parseOffloadBytes) {
      return vertx.executeBlocking(work, false);
    }
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private FetchOutcome outcome(Exchange exchange, Page page, ParsedPage parsed, ErrorKind kind, String message) {
    HttpResponse<Buffer> response = page.response();
    FetchRequest req = exchange.request;
    Buffer body = response.body();
    boolean ok = kind == null;
    List<String> discovered = parsed == null || req.purpose() != FetchRequest.Purpose.PAGE ? List.of() : parsed.found();
    return new FetchOutcome(req.jobId(), req.index(), req.dispatchId(), ok, response.statusCode(), page.finalUrl(),
      response.getHeader(HttpHeaders.CONTENT_TYPE), body == null ? 0 : body.length(), exchange.startedAt,
      exchange.elapsedMs(), node, parsed == null ? null : parsed.data(), parsed == null ? null : parsed.links(),
      parsed == null ? null : parsed.text(), kind, message, cookiePairs(exchange), retryAfterMs(response),
      discovered, List.of());
  }

  private static FetchOutcome withDiscovered(FetchOutcome o, List<String> pages, List<String> sitemaps) {
    return new FetchOutcome(o.jobId(), o.index(), o.dispatchId(), o.ok(), o.status(), o.finalUrl(), o.contentType(),
      o.bytes(), o.startedAt(), o.elapsedMs(), o.node(), o.data(), o.links(), o.body(), o.errorKind(),
      o.errorMessage(), o.setCookies(), o.retryAfterMs(), pages, sitemaps);
  }

  private FetchOutcome failure(Exchange exchange, Throwable error) {
    Throwable cause = exchange.aborted() ? exchange.abortCause() : error;
    FetchRequest req = exchange.request;
    ErrorKind kind = ErrorKinds.kindOf(cause);
    if (kind == ErrorKind.INTERNAL) {
      LOG.log(System.Logger.Level.WARNING, "unexpected failure fetching " + req.url(), cause);
    }
    return new FetchOutcome(req.jobId(), req.index(), req.dispatchId(), false, 0, null, null, 0, exchange.startedAt,
      exchange.elapsedMs(), node, null, null, null, kind, ErrorKinds.messageOf(cause), cookiePairs(exchange), -1,
      List.of(), List.of());
  }

  /** The compiled filters of a crawl; jobs are few, so the cache stays small. */
  private Links linksFor(FollowSpec follow) {
    if (linksByFollow.size() > 64) {
      linksByFollow.clear();
    }
    return linksByFollow.computeIfAbsent(follow, Links::new);
  }

  private static List<String> cookiePairs(Exchange exchange) {
    List<String> pairs = new ArrayList<>();
    exchange.cookies.forEach((name, value) -> pairs.add(name + "=" + value));
    return pairs;
  }

  /** {@code Retry-After} as seconds or an HTTP date, in ms; -1 when absent or unreadable. */
  static long retryAfterMs(HttpResponse<?> response) {
    String value = response.getHeader("Retry-After");
    if (value == null) {
      return -1;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()) * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, when.toInstant().toEpochMilli() - Instant.now().toEpochMilli());
      } catch (RuntimeException notDate) {
        return -1;
      }
    }
  }

  private void track(Exchange exchange) {
    byJob.computeIfAbsent(exchange.request.jobId(), id -> new HashSet<>()).add(exchange);
  }

  private void untrack(Exchange exchange) {
    Set<Exchange> exchanges = byJob.get(exchange.request.jobId());
    if (exchanges != null && exchanges.remove(exchange) && exchanges.isEmpty()) {
      byJob.remove(exchange.request.jobId());
    }
  }
}
