package dev.trawl.job;

import dev.trawl.config.PolitenessSettings;
import dev.trawl.config.PolitenessSettings.HostOverride;
import dev.trawl.error.ErrorKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The {@code politeness} of each host, shared by every job of this coordinator: tries in flight
 * to it, its gap between starts, a {@code Retry-After} that holds it, robots.txt's Crawl-delay, a
 * run-time override ({@code PUT /hosts/{host}}), and, with {@code politeness.adaptive}, a
 * concurrency halved and a delay grown by repeated 429/503, timeouts or refused connections, given
 * back step by step by successes. A job's try starts only when its own gate and this one both
 * allow ({@link Politeness}). Confined to the coordinator's event loop.
 */
final class HostLimits {

  /** Hosts are listed while they were active this recently. */
  static final long ACTIVE_MS = 10 * 60_000;
  /** Failures in a row (429, 503, timeout, refused) that make the adaptive step down. */
  private static final int FAILURES_TO_BACK_OFF = 2;
  /** Successes in a row that make the adaptive step back up. */
  private static final int SUCCESSES_TO_RECOVER = 8;
  /** The first delay the adaptive adds; each back-off doubles it. */
  private static final long FIRST_ADAPTIVE_DELAY_MS = 100;
  /** Outcomes kept per host for {@code recent}. */
  private static final int RECENT = 256;
  private static final long NEVER = Long.MIN_VALUE / 2;

  private final PolitenessSettings settings;
  private final Map<String, Host> hosts = new HashMap<>();
  /** Run-time overrides ({@code PUT /hosts}), over the config's. */
  private final Map<String, HostOverride> overrides = new HashMap<>();
  private int finishesSinceSweep;

  HostLimits(PolitenessSettings settings) {
    this.settings = settings;
  }

  /** One host's shared state. */
  private final class Host {
    final String key;
    int inFlight;
    long lastStartNanos = NEVER;
    /** Held by a Retry-After until then (System.nanoTime), and the same as wall-clock ms for the API. */
    long pausedUntilNanos = NEVER;
    long pausedUntilMs;
    long crawlDelayMs;
    /** The adaptive's concurrency (≤ the configured) and its extra delay. */
    int adaptivePerHost;
    long adaptiveDelayMs;
    int failuresInARow;
    int successesInARow;
    long lastActiveMs = System.currentTimeMillis();
    /** The last {@link #RECENT} tries: latency in ms, and how each ended. */
    final long[] latencies = new long[RECENT];
    final byte[] outcomes = new byte[RECENT];
    long tries;

    Host(String key) {
      this.key = key;
      this.adaptivePerHost = configuredPerHost(key);
    }
  }

  private static final byte OK = 0;
  private static final byte ERROR = 1;
  private static final byte HTTP_429 = 2;
  private static final byte HTTP_5XX = 3;

  // ---- limits ----------------------------------------------------------------------------------

  private HostOverride override(String host) {
    HostOverride configured = settings.hosts().get(host);
    HostOverride set = overrides.get(host);
    if (configured == null) {
      return set;
    }
    return set == null ? configured : configured.with(set);
  }

  /** The host's concurrency as configured: its override, else {@code politeness.perHost}. */
  int configuredPerHost(String host) {
    HostOverride o = override(host);
    return o != null && o.perHost() != null ? o.perHost() : settings.perHost();
  }

  private long configuredDelayMs(String host) {
    HostOverride o = override(host);
    return o != null && o.delayMs() != null ? o.delayMs() : settings.perHostDelayMs();
  }

  private boolean pausedByOverride(String host) {
    HostOverride o = override(host);
    return o != null && Boolean.TRUE.equals(o.paused());
  }

  private int effectivePerHost(Host h) {
    int configured = configuredPerHost(h.key);
    return settings.adaptive() ? Math.max(1, Math.min(configured, h.adaptivePerHost)) : configured;
  }

  /** The gap between two starts: the configured delay, the adaptive's, and (for a job that obeys robots.txt) Crawl-delay. */
  private long gapMs(Host h, boolean obeysRobots) {
    long gap = Math.max(configuredDelayMs(h.key), settings.adaptive() ? h.adaptiveDelayMs : 0);
    if (obeysRobots) {
      gap = Math.max(gap, h.crawlDelayMs);
    }
    return Math.min(gap, Math.max(settings.maxDelayMs(), configuredDelayMs(h.key)));
  }

  /** Whether the host lets a try start now. */
  boolean mayStart(String host, long now, boolean obeysRobots) {
    if (pausedByOverride(host)) {
      return false;
    }
    Host h = hosts.get(host);
    if (h == null) {
      return true;
    }
    return now - h.pausedUntilNanos >= 0 && h.inFlight < effectivePerHost(h)
      && now - h.lastStartNanos >= gapMs(h, obeysRobots) * 1_000_000;
  }

  /**
   * When the host, held back only by time (its gap, a Retry-After), may start; -1 when it is held
   * by something else (tries in flight, a pause), which a finished try or a call wakes instead.
   */
  long nextStartNanos(String host, boolean obeysRobots) {
    Host h = hosts.get(host);
    if (h == null || pausedByOverride(host) || h.inFlight >= effectivePerHost(h)) {
      return -1;
    }
    return Math.max(h.pausedUntilNanos, h.lastStartNanos + gapMs(h, obeysRobots) * 1_000_000);
  }

  void started(String host, long now) {
    Host h = host(host);
    h.inFlight++;
    h.lastStartNanos = now;
    h.lastActiveMs = System.currentTimeMillis();
  }

  /**
   * A try to {@code host} ended: its status (0 without an answer), its error kind (null when ok),
   * how long it took, and the server's {@code Retry-After} (-1 without one).
   */
  void finished(String host, long now, int status, ErrorKind kind, long elapsedMs, long retryAfterMs) {
    Host h = hosts.get(host);
    if (h == null) {
      return;
    }
    h.inFlight = Math.max(0, h.inFlight - 1);
    h.lastActiveMs = System.currentTimeMillis();
    boolean throttled = status == 429 || status == 503;
    if (throttled && retryAfterMs > 0) {
      long waitMs = Math.min(retryAfterMs, settings.maxDelayMs());
      h.pausedUntilNanos = Math.max(h.pausedUntilNanos, now + waitMs * 1_000_000);
      h.pausedUntilMs = Math.max(h.pausedUntilMs, System.currentTimeMillis() + waitMs);
    }
    record(h, status, kind, elapsedMs);
    adapt(h, throttled || kind == ErrorKind.TIMEOUT || kind == ErrorKind.CONNECT, kind == null || status > 0 && !throttled);
    sweep(now);
  }

  /** A try that never reached the host (aborted, never sent): only its slot is given back. */
  void released(String host) {
    Host h = hosts.get(host);
    if (h != null) {
      h.inFlight = Math.max(0, h.inFlight - 1);
    }
  }

  private void adapt(Host h, boolean failure, boolean success) {
    if (!settings.adaptive()) {
      return;
    }
    if (failure) {
      h.successesInARow = 0;
      if (++h.failuresInARow >= FAILURES_TO_BACK_OFF) {
        h.failuresInARow = 0;
        h.adaptivePerHost = Math.max(1, effectivePerHost(h) / 2);
        h.adaptiveDelayMs = Math.min(settings.maxDelayMs(),
          h.adaptiveDelayMs == 0 ? FIRST_ADAPTIVE_DELAY_MS : h.adaptiveDelayMs * 2);
      }
    } else if (success) {
      h.failuresInARow = 0;
      if (++h.successesInARow >= SUCCESSES_TO_RECOVER) {
        h.successesInARow = 0;
        int configured = configuredPerHost(h.key);
        h.adaptivePerHost = Math.min(configured, Math.max(h.adaptivePerHost + 1, h.adaptivePerHost * 2));
        h.adaptiveDelayMs = h.adaptiveDelayMs <= FIRST_ADAPTIVE_DELAY_MS ? 0 : h.adaptiveDelayMs / 2;
      }
    }
  }

  private void record(Host h, int status, ErrorKind kind, long elapsedMs) {
    int slot = (int) (h.tries++ % RECENT);
    h.latencies[slot] = elapsedMs;
    h.outcomes[slot] = status == 429 ? HTTP_429 : status >= 500 ? HTTP_5XX : kind == null ? OK : ERROR;
  }

  /** robots.txt's Crawl-delay for the host: its gap for every job that obeys robots.txt. */
  void crawlDelay(String host, long delayMs) {
    if (delayMs > 0) {
      Host h = host(host);
      h.crawlDelayMs = Math.max(h.crawlDelayMs, delayMs);
    }
  }

  /** The host's Crawl-delay as this node knows it (0 when none). */
  long crawlDelayOf(String host) {
    Host h = hosts.get(host);
    return h == null ? 0 : h.crawlDelayMs;
  }

  private Host host(String key) {
    return hosts.computeIfAbsent(key, Host::new);
  }

  /** Hosts idle for {@link #ACTIVE_MS}, with nothing in flight, are forgotten (their overrides stay). */
  private void sweep(long now) {
    if (++finishesSinceSweep < 4096) {
      return;
    }
    finishesSinceSweep = 0;
    long oldest = System.currentTimeMillis() - ACTIVE_MS;
    for (Iterator<Host> it = hosts.values().iterator(); it.hasNext(); ) {
      Host h = it.next();
      if (h.inFlight == 0 && h.lastActiveMs < oldest && now - h.pausedUntilNanos >= 0) {
        it.remove();
      }
    }
  }

  // ---- run-time overrides ----------------------------------------------------------------------

  /** Lays {@code change} over the host's run-time override. */
  void set(String host, HostOverride change) {
    HostOverride before = overrides.get(host);
    overrides.put(host, before == null ? change : before.with(change));
    Host h = host(host);
    if (change.perHost() != null) {
      h.adaptivePerHost = change.perHost(); // a new setting starts the adaptive afresh
    }
  }

  /** Drops the host's run-time override: the config's values hold again. */
  void clear(String host) {
    overrides.remove(host);
    Host h = hosts.get(host);
    if (h != null) {
      h.adaptivePerHost = configuredPerHost(host);
    }
  }

  // ---- reading ---------------------------------------------------------------------------------

  /** The host's state ({@code GET /hosts/{host}}); null for a host never seen and not configured. */
  JsonObject state(String key) {
    Host h = hosts.get(key);
    if (h == null) {
      if (override(key) == null) {
        return null;
      }
      h = new Host(key);
    }
    boolean held = System.nanoTime() - h.pausedUntilNanos < 0;
    return new JsonObject().put("host", key).put("inFlight", h.inFlight)
      .put("perHost", effectivePerHost(h)).put("configuredPerHost", configuredPerHost(key))
      .put("delayMs", gapMs(h, false)).put("configuredDelayMs", configuredDelayMs(key))
      .put("pausedUntil", held ? Instant.ofEpochMilli(h.pausedUntilMs).toString() : null)
      .put("paused", pausedByOverride(key)).put("crawlDelayMs", h.crawlDelayMs)
      .put("override", overrides.containsKey(key) ? overrides.get(key).toJson() : null)
      .put("recent", recent(h));
  }

  private static JsonObject recent(Host h) {
    int n = (int) Math.min(h.tries, RECENT);
    long ok = 0;
    long errors = 0;
    long http429 = 0;
    long http5xx = 0;
    for (int i = 0; i < n; i++) {
      switch (h.outcomes[i]) {
        case OK -> ok++;
        case HTTP_429 -> http429++;
        case HTTP_5XX -> http5xx++;
        default -> errors++;
      }
    }
    long[] sorted = Arrays.copyOf(h.latencies, n);
    Arrays.sort(sorted);
    return new JsonObject().put("tries", n).put("ok", ok).put("errors", errors + http429 + http5xx)
      .put("http429", http429).put("http5xx", http5xx)
      .put("p50Ms", n == 0 ? null : sorted[(n - 1) / 2]).put("p95Ms", n == 0 ? null : sorted[(int) ((n - 1) * 0.95)]);
  }

  /** Hosts active in the last 10 minutes (or configured), most active first, at most {@code limit}. */
  JsonArray list(int limit) {
    long oldest = System.currentTimeMillis() - ACTIVE_MS;
    JsonArray list = new JsonArray();
    hosts.values().stream().filter(h -> h.lastActiveMs >= oldest || h.inFlight > 0)
      .sorted(Comparator.comparingInt((Host h) -> h.inFlight).thenComparingLong(h -> Math.min(h.tries, RECENT))
        .thenComparingLong(h -> h.lastActiveMs).reversed())
      .limit(limit).forEach(h -> list.add(state(h.key)));
    return list;
  }

  /** Hosts holding tries back now: at their concurrency, paused, or within a Retry-After. */
  int held() {
    long now = System.nanoTime();
    int held = 0;
    for (Host h : hosts.values()) {
      if (h.inFlight >= effectivePerHost(h) || pausedByOverride(h.key) || now - h.pausedUntilNanos < 0) {
        held++;
      }
    }
    return held;
  }

  /** Hosts the adaptive has slowed below their configured values. */
  int throttled() {
    int throttled = 0;
    for (Host h : hosts.values()) {
      if (settings.adaptive() && (h.adaptivePerHost < configuredPerHost(h.key) || h.adaptiveDelayMs > 0)) {
        throttled++;
      }
    }
    return throttled;
  }
}
