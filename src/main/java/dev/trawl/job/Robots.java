package dev.trawl.job;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * robots.txt rules per origin ({@code scheme://host:port}) for the whole node: each fetched once,
 * parsed by crawler-commons (no I/O in the parser), kept for {@link #TTL_MS} and for at most
 * {@link #MAX_ORIGINS} origins. A robots.txt answering 4xx allows everything; one that answers 5xx
 * or cannot be fetched defers the origin: it is tried again after 0.5, 1 and 2 s, and then its
 * requests end as {@code blocked}. Confined to the coordinator's event loop; the fetching itself
 * is handed in as a function, so this class knows nothing of the event bus.
 */
final class Robots {

  static final long TTL_MS = 3_600_000;
  static final int MAX_ORIGINS = 10_000;
  private static final long[] RETRY_MS = {500, 1000, 2000};

  /** What a fetch of robots.txt gave: a status (0 when it failed before one) and the body. */
  record Answer(int status, String contentType, String body) {
  }

  /** The rules of an origin, or why there are none. */
  record Verdict(BaseRobotRules rules, String unavailable) {
    boolean allows(String url) {
      return unavailable == null && rules.isAllowed(url);
    }
  }

  private static final class Entry {
    Verdict verdict;
    long expiresAt;
    int failures;
    final List<Consumer<Verdict>> waiting = new ArrayList<>();
  }

  private final SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
  private final List<String> agentNames;
  private final Function<String, io.vertx.core.Future<Answer>> fetch;
  private final io.vertx.core.Vertx vertx;
  private final Map<String, Entry> byOrigin = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ORIGINS && eldest.getValue().waiting.isEmpty();
    }
  };

  Robots(io.vertx.core.Vertx vertx, String userAgent, Function<String, io.vertx.core.Future<Answer>> fetch) {
    this.vertx = vertx;
    this.fetch = fetch;
    String token = userAgent.split("[/ ]")[0].toLowerCase(java.util.Locale.ROOT);
    this.agentNames = List.of(token.isEmpty() ? "trawl" : token);
  }

  /** Calls {@code then} with the origin's verdict: at once when known, else after fetching it. */
  void verdict(String origin, Consumer<Verdict> then) {
    Entry entry = byOrigin.get(origin);
    long now = System.currentTimeMillis();
    if (entry != null && entry.verdict != null && entry.expiresAt > now) {
      then.accept(entry.verdict);
      return;
    }
    if (entry == null || entry.verdict != null) {
      entry = new Entry();
      byOrigin.put(origin, entry);
      load(origin, entry);
    }
    entry.waiting.add(then);
  }

  private void load(String origin, Entry entry) {
    String url = origin + "/robots.txt";
    fetch.apply(url).onComplete(done -> {
      Answer answer = done.succeeded() ? done.result() : new Answer(0, null, null);
      if (answer.status() >= 500 || answer.status() == 0 || answer.status() == 429) {
        deferOrGiveUp(origin, entry, answer.status());
      } else {
        settle(entry, new Verdict(parse(url, answer), null));
      }
    });
  }

  private BaseRobotRules parse(String url, Answer answer) {
    if (answer.status() >= 400) {
      return parser.failedFetch(answer.status()); // 4xx: allow all
    }
    byte[] body = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
    return parser.parseContent(url, body, answer.contentType() == null ? "text/plain" : answer.contentType(), agentNames);
  }

  private void deferOrGiveUp(String origin, Entry entry, int status) {
    if (entry.failures < RETRY_MS.length) {
      vertx.setTimer(RETRY_MS[entry.failures++], id -> load(origin, entry));
      return;
    }
    String why = status == 0 ? "could not be fetched" : "answered HTTP " + status;
    settle(entry, new Verdict(null, "robots.txt of " + origin + " " + why + " " + (RETRY_MS.length + 1)
      + " times; the host is deferred"));
  }

  private void settle(Entry entry, Verdict verdict) {
    entry.verdict = verdict;
    // A deferral answers the requests that waited for it; the next request asks robots.txt again.
    entry.expiresAt = System.currentTimeMillis() + (verdict.unavailable() == null ? TTL_MS : 0);
    List<Consumer<Verdict>> waiting = new ArrayList<>(entry.waiting);
    entry.waiting.clear();
    waiting.forEach(w -> w.accept(verdict));
  }

  /** The Crawl-delay of the rules in ms, capped at a minute; 0 when none. */
  static long crawlDelayMs(Verdict verdict) {
    if (verdict.rules() == null) {
      return 0;
    }
    long delay = verdict.rules().getCrawlDelay();
    return delay <= 0 ? 0 : Math.min(delay, 60_000);
  }
}
