package dev.trawl.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The effective node config (defaults merged with the file and the environment), with typed
 * accessors. Every verticle gets the whole tree as its {@code config()}.
 */
public final class TrawlConfig {

  /** {@code pid@host}, looked up once: the host name lookup behind it may block. */
  private static final String PROCESS_NAME = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();

  private final JsonObject json;

  TrawlConfig(JsonObject json) {
    this.json = json;
  }

  /** Rebuilds from a verticle's {@code config()}; missing keys take their defaults. */
  public static TrawlConfig from(JsonObject verticleConfig) {
    return ConfigLoader.effective(verticleConfig, Map.of());
  }

  public JsonObject json() {
    return json.copy();
  }

  public JsonObject section(String name) {
    return json.getJsonObject(name);
  }

  public boolean httpEnabled() {
    return section("http").getBoolean("enabled");
  }

  public String httpHost() {
    return section("http").getString("host");
  }

  public int httpPort() {
    return section("http").getInteger("port");
  }

  /** The bearer token the API requires; empty means no authentication. */
  public String httpToken() {
    return section("http").getString("token");
  }

  /** Whether a node may listen beyond loopback with no token (its operator authenticates in front of it). */
  public boolean httpAllowUnauthenticated() {
    return section("http").getBoolean("allowUnauthenticated");
  }

  public long httpMaxBodyBytes() {
    return section("http").getLong("maxBodyBytes");
  }

  public int fetchVerticles() {
    return section("fetch").getInteger("verticles");
  }

  public int maxInFlight() {
    return section("fetch").getInteger("maxInFlight");
  }

  public int perHostPool() {
    return section("fetch").getInteger("perHostPool");
  }

  public long maxBodyBytes() {
    return section("fetch").getLong("maxBodyBytes");
  }

  public int maxRedirects() {
    return section("fetch").getInteger("maxRedirects");
  }

  /** The longest {@code Retry-After} Trawl waits for; a longer one is cut to this. */
  public long maxRetryAfterMs() {
    return section("fetch").getLong("maxRetryAfterMs");
  }

  /** Host names (as written in URLs) the private-network guard lets through, e.g. an intranet service. */
  public java.util.Set<String> allowPrivateHosts() {
    java.util.Set<String> hosts = new java.util.HashSet<>();
    section("fetch").getJsonArray("allowPrivateHosts").forEach(h -> hosts.add(String.valueOf(h).toLowerCase(java.util.Locale.ROOT)));
    return hosts;
  }

  public boolean blockPrivateNetworks() {
    return section("fetch").getBoolean("blockPrivateNetworks");
  }

  public String userAgent() {
    return section("fetch").getString("userAgent");
  }

  /** {@code obey} or {@code ignore}: what a job's {@code robots} defaults to. */
  public String robotsDefault() {
    return section("fetch").getString("robots");
  }

  /** The node's proxies ({@code fetch.proxies}), as written; {@link #problems} has checked each. */
  public java.util.List<String> proxies() {
    java.util.List<String> proxies = new java.util.ArrayList<>();
    section("fetch").getJsonArray("proxies").forEach(p -> proxies.add(String.valueOf(p)));
    return proxies;
  }

  /** Whether a job may name proxies of its own ({@code fetch.allowJobProxies}). */
  public boolean allowJobProxies() {
    return section("fetch").getBoolean("allowJobProxies");
  }

  /** Whether HTTP/2 is offered over TLS (ALPN) ({@code fetch.http2}). */
  public boolean http2() {
    return section("fetch").getBoolean("http2");
  }

  /** A PEM file of CA certificates trusted besides the JDK's, or "" ({@code fetch.trustStore}). */
  public String trustStore() {
    return section("fetch").getString("trustStore");
  }

  /** Whether TLS certificates and host names go unchecked ({@code fetch.insecureTls}; for tests only). */
  public boolean insecureTls() {
    return section("fetch").getBoolean("insecureTls");
  }

  public int parseOffloadBytes() {
    return section("parse").getInteger("offloadBytes");
  }

  public long maxRequestsPerJob() {
    return section("jobs").getLong("maxRequests");
  }

  public int maxConcurrentJobs() {
    return section("jobs").getInteger("maxConcurrent");
  }

  /** {@code jobs.durable}: job state is kept on disk and resumed after a restart. */
  public boolean durableJobs() {
    return section("jobs").getBoolean("durable");
  }

  /** {@code jobs.stopGraceMs}: how long a stopping node lets tries in flight finish before it aborts them. */
  public long stopGraceMs() {
    return section("jobs").getLong("stopGraceMs");
  }

  /** The {@code politeness} section: host limits shared by every job. */
  public JsonObject politeness() {
    return section("politeness");
  }

  public int keepFinishedJobs() {
    return section("jobs").getInteger("keepFinished");
  }

  /** Where a job's {@code requestsFile} must lie; empty: jobs over the API or the event bus may not name one. */
  public String requestsFileDir() {
    return section("jobs").getString("requestsFileDir");
  }

  public int queueCapacity() {
    return section("queue").getInteger("capacity");
  }

  /**
   * The name results give for the node that fetched them: {@code node.id}, or {@code pid@host}
   * when that is empty (unique per process, so per node of a real cluster).
   */
  public String nodeId() {
    String id = section("node").getString("id");
    return id.isEmpty() ? PROCESS_NAME : id;
  }

  /** How often a node tells the others it is alive, and whether it still takes fetches. */
  public long heartbeatMs() {
    return section("cluster").getLong("heartbeatMs");
  }

  /** A node not heard from for this long is presumed dead: its in-flight fetches go elsewhere. */
  public long nodeTimeoutMs() {
    return section("cluster").getLong("nodeTimeoutMs");
  }

  public String sinkDir() {
    return section("sink").getString("dir");
  }

  public long sinkFlushMs() {
    return section("sink").getLong("flushMs");
  }

  /** Range checks the type checks of {@link ConfigLoader} cannot make. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    requireRange(problems, "http.port", httpPort(), 0, 65535);
    requireAtLeast(problems, "http.maxBodyBytes", httpMaxBodyBytes(), 1);
    requireAtLeast(problems, "http.maxResultStreams", section("http").getInteger("maxResultStreams"), 0);
    requireAtLeast(problems, "http.streamStallMs", section("http").getLong("streamStallMs"), 1);
    requireAtLeast(problems, "http.bodyTimeoutMs", section("http").getLong("bodyTimeoutMs"), 1);
    requireAtLeast(problems, "http.idleTimeoutMs", section("http").getLong("idleTimeoutMs"), 1);
    requireAtLeast(problems, "fetch.verticles", fetchVerticles(), 1);
    requireAtLeast(problems, "fetch.maxInFlight", maxInFlight(), 1);
    requireAtLeast(problems, "fetch.perHostPool", perHostPool(), 1);
    requireAtLeast(problems, "fetch.maxBodyBytes", maxBodyBytes(), 1);
    requireRange(problems, "fetch.maxRedirects", maxRedirects(), 0, 50);
    requireAtLeast(problems, "fetch.maxRetryAfterMs", maxRetryAfterMs(), 0);
    requireAtLeast(problems, "parse.offloadBytes", parseOffloadBytes(), 0);
    requireAtLeast(problems, "jobs.maxRequests", maxRequestsPerJob(), 1);
    requireAtLeast(problems, "jobs.maxConcurrent", maxConcurrentJobs(), 1);
    requireAtLeast(problems, "jobs.keepFinished", keepFinishedJobs(), 0);
    requireAtLeast(problems, "jobs.stopGraceMs", stopGraceMs(), 0);
    requireAtLeast(problems, "politeness.perHost", politeness().getInteger("perHost"), 1);
    requireAtLeast(problems, "politeness.perHostDelayMs", politeness().getLong("perHostDelayMs"), 0);
    requireAtLeast(problems, "politeness.maxDelayMs", politeness().getLong("maxDelayMs"), 0);
    problems.addAll(PolitenessSettings.problemsOf(politeness().getJsonObject("hosts")));
    requireAtLeast(problems, "queue.capacity", queueCapacity(), 0);
    requireAtLeast(problems, "sink.flushMs", sinkFlushMs(), 1);
    requireAtLeast(problems, "cluster.heartbeatMs", heartbeatMs(), 10);
    if (nodeTimeoutMs() < 2 * heartbeatMs()) {
      problems.add("cluster.nodeTimeoutMs must be at least twice cluster.heartbeatMs");
    }
    if (sinkDir().isBlank()) {
      problems.add("sink.dir must not be empty");
    }
    for (int i = 0; i < proxies().size(); i++) {
      try {
        dev.trawl.fetch.Proxy.parse(proxies().get(i));
      } catch (IllegalArgumentException e) {
        problems.add("fetch.proxies[" + i + "] " + e.getMessage());
      }
    }
    if (!trustStore().isBlank()) {
      String unreadable = dev.trawl.fetch.TrustStores.problemWith(java.nio.file.Path.of(trustStore()));
      if (unreadable != null) {
        problems.add("fetch.trustStore " + unreadable);
      }
    }
    String robots = section("fetch").getString("robots");
    if (!robots.equals("obey") && !robots.equals("ignore")) {
      problems.add("fetch.robots must be obey or ignore");
    }
    String exposed = HttpSettings.from(this).exposureProblem();
    if (exposed != null) {
      problems.add(exposed);
    }
    problems.addAll(JobDefaults.problems(json));
    return problems;
  }

  private static void requireAtLeast(List<String> problems, String key, long value, long min) {
    if (value < min) {
      problems.add(key + " must be at least " + min);
    }
  }

  private static void requireRange(List<String> problems, String key, long value, long min, long max) {
    if (value < min || value > max) {
      problems.add(key + " must be between " + min + " and " + max);
    }
  }
}
