package dev.trawl.job;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
  /** The longest Crawl-delay honoured. */
  static final long MAX_CRAWL_DELAY_MS = 60_000;
  private static final long[] RETRY_MS = {500, 1000, 2000};

  /** What a fetch of robots.txt gave: a status (0 when it failed before one) and the body. */
  record Answer(int status, String contentType, String body) {
  }

  /** What robots.txt says of an origin: its rules, or why there are none. */
  sealed interface Verdict permits Rules, Unavailable {
    boolean allows(String url);

    /** The Crawl-delay in ms, capped at {@link #MAX_CRAWL_DELAY_MS}; 0 when none. */
    long crawlDelayMs();

    /** The sitemaps the rules list. */
    List<String> sitemaps();
  }

  record Rules(BaseRobotRules rules) implements Verdict {
    @Override
    public boolean allows(String url) {
      return rules.isAllowed(url);
    }

    @Override
    public long crawlDelayMs() {
      long delay = rules.getCrawlDelay();
      return delay <= 0 ? 0 : Math.min(delay, MAX_CRAWL_DELAY_MS);
    }

    @Override
    public List<String> sitemaps() {
      return rules.getSitemaps();
    }
  }

  /** robots.txt could not be had: every URL of the origin is blocked for now. */
  record Unavailable(String why) implements Verdict {
    @Override
    public boolean allows(String url) {
      return false;
    }

    @Override
    public long crawlDelayMs() {
      return 0;
    }

    @Override
    public List<String> sitemaps() {
      return List.of();
    }
  }

  private static final class Entry {
    final Promise<Verdict> verdict = Promise.promise();
    long expiresAt;
    int failures;
  }

  private final SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
  private final List<String> agentNames;
  private final Function<String, Future<Answer>> fetch;
  private final Vertx vertx;
  private final Map<String, Entry> byOrigin = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ORIGINS && eldest.getValue().verdict.future().isComplete();
    }
  };

  Robots(Vertx vertx, String userAgent, Function<String, Future<Answer>> fetch) {
    // crawler-commons turns a Crawl-delay over its own maximum (5 min) into "disallow all";
    // Trawl caps the delay instead (Rules#crawlDelayMs), so the parser is told to keep any.
    parser.setMaxCrawlDelay(Long.MAX_VALUE);
    this.vertx = vertx;
    this.fetch = fetch;
    String token = userAgent.split("[/ ]")[0].toLowerCase(Locale.ROOT);
    this.agentNames = List.of(token.isEmpty() ? "trawl" : token);
  }

  /** The origin's verdict: at once when known, else once robots.txt is fetched. */
  Future<Verdict> verdict(String origin) {
    Entry entry = byOrigin.get(origin);
    boolean known = entry != null && entry.verdict.future().isComplete();
    if (entry == null || known && entry.expiresAt <= System.currentTimeMillis()) {
      entry = new Entry();
      byOrigin.put(origin, entry);
      load(origin, entry);
    }
    return entry.verdict.future();
  }

  private void load(String origin, Entry entry) {
    String url = origin + "/robots.txt";
    fetch.apply(url).onComplete(done -> {
      Answer answer = done.succeeded() ? done.result() : new Answer(0, null, null);
      if (answer.status() >= 500 || answer.status() == 0 || answer.status() == 429) {
        deferOrGiveUp(origin, entry, answer.status());
      } else {
        settle(entry, new Rules(parse(url, answer)));
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
    settle(entry, new Unavailable("robots.txt of " + origin + " " + why + " " + (RETRY_MS.length + 1)
      + " times; the host is deferred"));
  }

  private void settle(Entry entry, Verdict verdict) {
    // A deferral answers the requests that waited for it; the next request asks robots.txt again.
    entry.expiresAt = System.currentTimeMillis() + (verdict instanceof Unavailable ? 0 : TTL_MS);
    entry.verdict.complete(verdict);
  }
}
