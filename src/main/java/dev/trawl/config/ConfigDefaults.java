package dev.trawl.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The default value of every config key. A config file only needs the keys it changes; a key
 * that is not here is unknown and rejected. The README's config table lists the same keys.
 */
public final class ConfigDefaults {

  private ConfigDefaults() {
  }

  public static JsonObject json() {
    return new JsonObject()
      .put("node", new JsonObject()
        .put("id", ""))
      .put("cluster", new JsonObject()
        .put("heartbeatMs", 1000)
        .put("nodeTimeoutMs", 5000))
      .put("http", new JsonObject()
        .put("enabled", true)
        .put("host", "127.0.0.1")
        .put("port", 8080)
        .put("token", "")
        .put("allowUnauthenticated", false)
        .put("maxBodyBytes", 1_048_576)
        .put("maxResultStreams", 256)
        .put("streamStallMs", 60_000)
        .put("bodyTimeoutMs", 30_000)
        .put("idleTimeoutMs", 60_000))
      .put("fetch", new JsonObject()
        .put("verticles", 2)
        .put("maxInFlight", 1024)
        .put("perHostPool", 128)
        .put("maxBodyBytes", 10_485_760)
        .put("maxRedirects", 5)
        .put("maxRetryAfterMs", 60_000)
        .put("blockPrivateNetworks", true)
        .put("allowPrivateHosts", new JsonArray())
        .put("userAgent", "trawl/0.1 (+https://trawl.dev)")
        .put("robots", "obey")
        .put("proxies", new JsonArray())
        .put("allowJobProxies", false)
        .put("http2", true)
        .put("trustStore", "")
        .put("insecureTls", false))
      .put("parse", new JsonObject()
        .put("offloadBytes", 16_384))
      .put("jobs", new JsonObject()
        .put("maxRequests", 10_000_000)
        .put("maxConcurrent", 8)
        .put("keepFinished", 1000)
        .put("requestsFileDir", "")
        .put("durable", true)
        .put("stopGraceMs", 10_000))
      .put("politeness", new JsonObject()
        .put("perHost", 8)
        .put("perHostDelayMs", 0)
        .put("adaptive", true)
        .put("maxDelayMs", 60_000)
        .put("hosts", new JsonObject()))
      .put("queue", new JsonObject()
        .put("capacity", 64))
      .put("sink", new JsonObject()
        .put("dir", "data")
        .put("flushMs", 1000))
      .put("limits", new JsonObject()
        .put("concurrency", 64)
        .put("perHost", 0)
        .put("perHostDelayMs", 0))
      .put("timeouts", new JsonObject()
        .put("connectMs", 5000)
        .put("idleMs", 10_000)
        .put("totalMs", 30_000))
      .put("retry", new JsonObject()
        .put("attempts", 3)
        .put("backoffMs", 250)
        .put("maxBackoffMs", 60_000)
        .put("on", new JsonArray().add("timeout").add("connect").add("429").add("5xx")));
  }
}
