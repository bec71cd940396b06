package dev.trawl.job;

import dev.trawl.error.ErrorKind;
import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * robots.txt rules per origin ({@code scheme://host:port}) for the whole node: each fetched once,
 * parsed by crawler-commons (no I/O in the parser), kept for {@link #TTL_MS} and for at most
 * {@link #MAX_ORIGINS} origins. A robots.txt answering 4xx allows everything; one that answers 5xx
 * or 429 defers the origin: it is tried again after 0.5, 1 and 2 s, and then its requests end as
 * {@code blocked} (RFC 9309's "complete disallow"). A transport failure ({@code dns},
 * {@code connect}, {@code tls}, {@code timeout}) is an answer: it is not tried again, and the
 * origin's requests end with that kind. Only the first {@link #MAX_BYTES} of a robots.txt are
 * read (as Google does), and they are parsed on a worker thread. Confined to the coordinator's
 * event loop; the fetching itself is handed in as a function, so this class knows nothing of the
 * event bus.
 */
final class Robots {

  static final long TTL_MS = 3_600_000;
  static final int MAX_ORIGINS = 10_000;
  /** The longest Crawl-delay honoured. */
  static final long MAX_CRAWL_DELAY_MS = 60_000;
  /** The bytes of a robots.txt that are read; the rest is ignored. */
  static final int MAX_BYTES = 500 * 1024;
  private static final long[] RETRY_MS = {500, 1000, 2000};
  /** Failures the fetch of robots.txt reports with their own kind, at once. */
  private static final EnumSet<ErrorKind> TRANSPORT =
    EnumSet.of(ErrorKind.DNS, ErrorKind.CONNECT, ErrorKind.TLS, ErrorKind.TIMEOUT, ErrorKind.PROXY);

  /**
   * What a fetch of robots.txt gave: a status and the body, or (status 0) the kind and message of
   * the failure that came before any status.
   */
  record Answer(int status, String contentType, String body, ErrorKind failure, String message) {

    static Answer answered(int status, String contentType, String body) {
      return new Answer(status, contentType, body, null, null);
    }

    static Answer failed(ErrorKind failure, String message) {
      return new Answer(0, null, null, failure == null ? ErrorKind.INTERNAL : failure, message);
    }

    /** A server error or overload, or a lost reply: worth a few more tries. */
    boolean worthRetrying() {
      return status >= 500 || status == 429 || failure == ErrorKind.INTERNAL;
    }
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

  /**
   * robots.txt could not be had: every URL of the origin is refused for now, as {@code kind}
   * ({@code blocked} after 5xx, or the transport failure's kind).
   */
  record Unavailable(ErrorKind kind, String why) implements Verdict {
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
    fetch.apply(url)
      .otherwise(err -> Answer.failed(ErrorKind.INTERNAL, String.valueOf(err.getMessage())))
      .onSuccess(answer -> judge(origin, entry, answer));
  }

  private void judge(String origin, Entry entry, Answer answer) {
    if (answer.worthRetrying()) {
      deferOrGiveUp(origin, entry, answer);
    } else if (answer.failure() != null) {
      ErrorKind kind = TRANSPORT.contains(answer.failure()) ? answer.failure() : ErrorKind.BLOCKED;
      settle(entry, new Unavailable(kind, "robots.txt of " + origin + " could not be fetched ("
        + answer.failure().wire() + ": " + answer.message() + ")"));
    } else {
      String url = origin + "/robots.txt";
      vertx.executeBlocking(() -> parse(url, answer), false)
        .otherwise(err -> parser().failedFetch(500)) // a parser bug: complete disallow, as for 5xx
        .onSuccess(rules -> settle(entry, new Rules(rules)));
    }
  }

  /** On a worker thread: a parser per call, as crawler-commons' parser keeps per-parse state. */
  private BaseRobotRules parse(String url, Answer answer) {
    SimpleRobotRulesParser parser = parser();
    if (answer.status() >= 400) {
      return parser.failedFetch(answer.status()); // 4xx: allow all
    }
    byte[] body = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
    if (body.length > MAX_BYTES) {
      body = Arrays.copyOf(body, MAX_BYTES);
    }
    return parser.parseContent(url, body, answer.contentType() == null ? "text/plain" : answer.contentType(), agentNames);
  }

  private static SimpleRobotRulesParser parser() {
    // crawler-commons turns a Crawl-delay over its own maximum (5 min) into "disallow all";
    // Trawl caps the delay instead (Rules#crawlDelayMs), so the parser is told to keep any.
    SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
    parser.setMaxCrawlDelay(Long.MAX_VALUE);
    return parser;
  }

  private void deferOrGiveUp(String origin, Entry entry, Answer answer) {
    if (entry.failures < RETRY_MS.length) {
      vertx.setTimer(RETRY_MS[entry.failures++], id -> load(origin, entry));
      return;
    }
    String why = answer.status() == 0 ? "could not be fetched (" + answer.message() + ")"
      : "answered HTTP " + answer.status();
    settle(entry, new Unavailable(ErrorKind.BLOCKED, "robots.txt of " + origin + " " + why + " "
      + (RETRY_MS.length + 1) + " times; the host is deferred"));
  }

  private void settle(Entry entry, Verdict verdict) {
    // A deferral answers the requests that waited for it; the next request asks robots.txt again.
    entry.expiresAt = System.currentTimeMillis() + (verdict instanceof Unavailable ? 0 : TTL_MS);
    entry.verdict.complete(verdict);
  }
}
