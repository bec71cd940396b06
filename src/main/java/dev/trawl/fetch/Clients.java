package dev.trawl.fetch;

import dev.trawl.config.FetchSettings;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's HTTP clients, one per {@code timeouts.connectMs} in use. In Vert.x 5.0 the TCP connect
 * timeout is a client-wide option ({@link HttpClientOptions#setConnectTimeout}); a request's own
 * {@code connectTimeout} is only its wait for a pooled connection, which must never fail a try (a
 * job may ask for more connections than the pool holds: they queue, bounded by {@code totalMs}).
 * So each connect timeout gets a client of its own, shared by name by every fetch verticle of the
 * node, each with a pool of {@code fetch.perHostPool} per host. Jobs seldom set more than one or
 * two values; past {@link #MAX_CLIENTS} a try uses the nearest one there is.
 *
 * <p>Over TLS a client offers HTTP/2 and HTTP/1.1 by ALPN ({@code fetch.http2}) and takes what the
 * server picks; plain http stays HTTP/1.1 (no h2c upgrade). Certificates are checked against the
 * JDK's CAs and {@code fetch.trustStore}'s, unless {@code fetch.insecureTls}.
 */
final class Clients {

  static final int MAX_CLIENTS = 8;

  private final Vertx vertx;
  private final int perHostPool;
  private final boolean http2;
  private final boolean insecureTls;
  /** The JDK's CAs and {@code fetch.trustStore}'s, or null for the JDK's alone. */
  private final TrustOptions trust;
  private final Handler<HttpContext<?>> interceptor;
  /** Kept for as long as the fetcher lives: an unreferenced client is closed under its requests. */
  private final Map<Long, WebClient> byConnectMs = new HashMap<>();

  Clients(Vertx vertx, FetchSettings settings, TrustOptions trust, Handler<HttpContext<?>> interceptor) {
    this.vertx = vertx;
    this.perHostPool = settings.perHostPool();
    this.http2 = settings.http2();
    this.insecureTls = settings.insecureTls();
    this.trust = trust;
    this.interceptor = interceptor;
  }

  /** The client whose TCP connects give up after {@code connectMs}. */
  WebClient forConnectMs(long connectMs) {
    WebClient client = byConnectMs.get(connectMs);
    if (client != null) {
      return client;
    }
    if (byConnectMs.size() >= MAX_CLIENTS) {
      return byConnectMs.get(nearest(connectMs));
    }
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(perHostPool).setHttp2MaxSize(perHostPool);
    // The User-Agent is set per request (a job's own wins); the client's would be sent as well.
    client = WebClient.wrap(vertx.createHttpClient(options(connectMs), pool), new WebClientOptions().setUserAgentEnabled(false));
    ((WebClientInternal) client).addInterceptor(interceptor);
    byConnectMs.put(connectMs, client);
    return client;
  }

  private long nearest(long connectMs) {
    return byConnectMs.keySet().stream().min((a, b) -> Long.compare(Math.abs(a - connectMs), Math.abs(b - connectMs)))
      .orElseThrow();
  }

  private HttpClientOptions options(long connectMs) {
    HttpClientOptions options = new HttpClientOptions()
      .setShared(true)
      .setName("trawl-fetch-connect-" + connectMs)
      .setKeepAlive(true)
      // Trawl decodes gzip and deflate itself, a window at a time (LimitedBody): Netty's decoder
      // would inflate a bomb into direct memory before any limit could see it.
      .setDecompressionSupported(false)
      .setTcpNoDelay(true)
      .setConnectTimeout((int) Math.min(connectMs, Integer.MAX_VALUE))
      .setUseAlpn(http2)
      .setAlpnVersions(http2 ? List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1) : List.of(HttpVersion.HTTP_1_1));
    if (insecureTls) {
      options.setTrustAll(true).setVerifyHost(false);
    } else if (trust != null) {
      options.setTrustOptions(trust);
    }
    return options;
  }
}
