package dev.trawl.job;

import dev.trawl.error.ErrorKind;
import dev.trawl.support.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * robots.txt verdicts per origin, with the fetch handed in as a function that answers what each
 * test needs and records every URL it is asked for. Robots is confined to an event loop and waits
 * on real timers between tries, so every call runs on one context of a real {@link Vertx}.
 */
@ExtendWith(VertxExtension.class)
class RobotsTest {

  private static final String ORIGIN = "http://a.test:80";
  private static final String ROBOTS_URL = "http://a.test:80/robots.txt";
  private static final String AGENT = "trawl/1.0 (+https://trawl.example/bot)";

  private TestVertx testVertx;
  private Vertx vertx;
  private Context context;
  /** The URLs the fetch was asked for, in order; written on the context. */
  private final List<String> fetched = new ArrayList<>();

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    vertx = testVertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void down() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  private Robots robotsAnswering(Function<String, Future<Robots.Answer>> answers) {
    return new Robots(vertx, AGENT, url -> {
      fetched.add(url);
      return answers.apply(url);
    });
  }

  private static Future<Robots.Answer> text(String body) {
    return Future.succeededFuture(Robots.Answer.answered(200, "text/plain", body));
  }

  private static Future<Robots.Answer> status(int status) {
    return Future.succeededFuture(Robots.Answer.answered(status, "text/html", "User-agent: *\nDisallow: /\n"));
  }

  /** {@code action} run on the test's context; its future, completed there. */
  private <T> Future<T> onLoop(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  private Future<Robots.Verdict> verdictOf(Robots robots) {
    return onLoop(() -> robots.verdict(ORIGIN));
  }

  // ---- rules -----------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} allowed: {1}")
  @CsvSource(delimiter = '|', textBlock = """
    http://a.test:80/private/page   | false
    http://a.test:80/private/       | false
    http://a.test:80/public/page    | true
    http://a.test:80/               | true
    """)
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void theRulesAreParsedAndADisallowedPathIsRefused(String url, boolean allowed, VertxTestContext ctx) {
    Robots robots = robotsAnswering(u -> text("User-agent: *\nDisallow: /private/\n"));
    verdictOf(robots).onComplete(ctx.succeeding(verdict -> ctx.verify(() -> {
      assertEquals(allowed, verdict.allows(url));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void theGroupOfOurAgentTokenAppliesRatherThanTheWildcard(VertxTestContext ctx) {
    Robots robots = robotsAnswering(u -> text("User-agent: trawl\nDisallow: /\n\nUser-agent: *\nDisallow:\n"));
    verdictOf(robots).onComplete(ctx.succeeding(verdict -> ctx.verify(() -> {
      assertFalse(verdict.allows("http://a.test:80/page"));
      ctx.completeNow();
    })));
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {401, 403, 404, 410})
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aRobotsTxtAnswering4xxAllowsEverything(int status, VertxTestContext ctx) {
    Robots robots = robotsAnswering(u -> status(status));
    verdictOf(robots).onComplete(ctx.succeeding(verdict -> ctx.verify(() -> {
      assertTrue(verdict.allows("http://a.test:80/private/page"));
      ctx.completeNow();
    })));
  }

  @ParameterizedTest(name = "{0} -> {1} ms")
  @CsvSource(delimiter = '|', textBlock = """
    Crawl-delay: 2       | 2000
    Crawl-delay: 0.5     | 500
    Crawl-delay: 60      | 60000
    Crawl-delay: 120     | 60000
    Disallow: /private/  | 0
    """)
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void theCrawlDelayIsReadInMillisecondsAndCapped(String line, long expectedMs, VertxTestContext ctx) {
    Robots robots = robotsAnswering(u -> text("User-agent: *\n" + line + "\n"));
    verdictOf(robots).onComplete(ctx.succeeding(verdict -> ctx.verify(() -> {
      assertEquals(expectedMs, verdict.crawlDelayMs());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aCrawlDelayBeyondFiveMinutesIsCappedTooRatherThanRefusingTheHost(VertxTestContext ctx) {
    Robots robots = robotsAnswering(u -> text("User-agent: *\nCrawl-delay: 600\n"));
    verdictOf(robots).onComplete(ctx.succeeding(verdict -> ctx.verify(() -> {
      assertEquals(List.of(60000L, true), List.of(verdict.crawlDelayMs(), verdict.allows("http://a.test:80/page")));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void theSitemapsTheRulesListAreListed(VertxTestContext ctx) {
    Robots robots = robotsAnswering(u -> text("""
      User-agent: *
      Disallow: /private/
      Sitemap: http://a.test/sitemap.xml
      Sitemap: http://a.test/news/sitemap.xml
      """));
    verdictOf(robots).onComplete(ctx.succeeding(verdict -> ctx.verify(() -> {
      assertEquals(List.of("http://a.test/sitemap.xml", "http://a.test/news/sitemap.xml"), verdict.sitemaps());
      ctx.completeNow();
    })));
  }

  // ---- fetching --------------------------------------------------------------------------------

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void manyConcurrentAsksOfOneOriginShareOneFetch(VertxTestContext ctx) {
    Promise<Robots.Answer> answer = Promise.promise();
    Robots robots = robotsAnswering(u -> answer.future());
    onLoop(() -> {
      List<Future<Robots.Verdict>> asks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        asks.add(robots.verdict(ORIGIN));
      }
      answer.complete(Robots.Answer.answered(200, "text/plain", "User-agent: *\nDisallow: /private/\n"));
      return Future.all(asks);
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertEquals(List.of(ROBOTS_URL), fetched);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aKnownVerdictIsAnsweredWithoutFetchingAgain(VertxTestContext ctx) {
    Robots robots = robotsAnswering(u -> text("User-agent: *\nDisallow: /private/\n"));
    verdictOf(robots).compose(first -> verdictOf(robots)).onComplete(ctx.succeeding(second -> ctx.verify(() -> {
      assertEquals(List.of(ROBOTS_URL), fetched);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void eachOriginHasItsOwnRobotsTxt(VertxTestContext ctx) {
    Robots robots = robotsAnswering(u -> text("User-agent: *\nDisallow:\n"));
    onLoop(() -> Future.all(robots.verdict(ORIGIN), robots.verdict("https://b.test:443")))
      .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
        assertEquals(List.of(ROBOTS_URL, "https://b.test:443/robots.txt"), fetched);
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aFetchThatFailedIsTriedAgainAndTheRulesItThenGetsApply(VertxTestContext ctx) {
    Robots robots = robotsAnswering(u -> fetched.size() == 1
      ? Future.failedFuture("connection refused")
      : text("User-agent: *\nDisallow: /private/\n"));
    verdictOf(robots).onComplete(ctx.succeeding(verdict -> ctx.verify(() -> {
      assertEquals(List.of(2, false), List.of(fetched.size(), verdict.allows("http://a.test:80/private/page")));
      ctx.completeNow();
    })));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = ErrorKind.class, names = {"CONNECT", "DNS", "TLS", "TIMEOUT"})
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aTransportFailureIsAnAnswerAtOnceAndKeepsItsKind(ErrorKind kind, VertxTestContext ctx) {
    Robots robots = robotsAnswering(u -> Future.succeededFuture(Robots.Answer.failed(kind, "it failed")));
    verdictOf(robots).onComplete(ctx.succeeding(verdict -> ctx.verify(() -> {
      assertEquals(List.of(new Robots.Unavailable(kind,
          "robots.txt of http://a.test:80 could not be fetched (" + kind.wire() + ": it failed)"), List.of(ROBOTS_URL)),
        List.of(verdict, fetched));
      ctx.completeNow();
    })));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = ErrorKind.class, names = {"TOO_LARGE", "TOO_MANY_REDIRECTS", "BLOCKED"})
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aFetchRefusedOnTheWayIsBlockedAtOnce(ErrorKind kind, VertxTestContext ctx) {
    Robots robots = robotsAnswering(u -> Future.succeededFuture(Robots.Answer.failed(kind, "refused")));
    verdictOf(robots).onComplete(ctx.succeeding(verdict -> ctx.verify(() -> {
      assertEquals(List.of(new Robots.Unavailable(ErrorKind.BLOCKED,
          "robots.txt of http://a.test:80 could not be fetched (" + kind.wire() + ": refused)"), List.of(ROBOTS_URL)),
        List.of(verdict, fetched));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void theNextAskAfterATransportFailureFetchesAgain(VertxTestContext ctx) {
    Robots robots = robotsAnswering(u -> fetched.size() == 1
      ? Future.succeededFuture(Robots.Answer.failed(ErrorKind.CONNECT, "Connection refused"))
      : text("User-agent: *\nDisallow: /private/\n"));
    verdictOf(robots).compose(first -> verdictOf(robots)).onComplete(ctx.succeeding(second -> ctx.verify(() -> {
      assertEquals(List.of(2, true), List.of(fetched.size(), second.allows("http://a.test:80/public/")));
      ctx.completeNow();
    })));
  }

  @ParameterizedTest(name = "a rule after {0} bytes of comments applies: {1}")
  @CsvSource(delimiter = '|', textBlock = """
    400000 | true
    600000 | false
    """)
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void onlyTheFirst500KiBAreRead(int padding, boolean applies, VertxTestContext ctx) {
    String comments = ("#" + "x".repeat(98) + "\n").repeat(padding / 100);
    Robots robots = robotsAnswering(u -> text("User-agent: *\n" + comments + "Disallow: /private/\n"));
    verdictOf(robots).onComplete(ctx.succeeding(verdict -> ctx.verify(() -> {
      assertEquals(applies, !verdict.allows("http://a.test:80/private/page"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void a5xxIsTriedAgainAfterHalfOneAndTwoSecondsThenTheOriginIsUnavailable(VertxTestContext ctx) {
    List<Long> askedAtMs = new ArrayList<>();
    Robots robots = robotsAnswering(u -> {
      askedAtMs.add(System.nanoTime() / 1_000_000);
      return status(503);
    });
    verdictOf(robots).onComplete(ctx.succeeding(verdict -> ctx.verify(() -> {
      assertEquals(new Robots.Unavailable(ErrorKind.BLOCKED,
          "robots.txt of http://a.test:80 answered HTTP 503 4 times; the host is deferred"),
        verdict);
      assertEquals(4, askedAtMs.size());
      List<Long> waitsMs = List.of(askedAtMs.get(1) - askedAtMs.get(0), askedAtMs.get(2) - askedAtMs.get(1),
        askedAtMs.get(3) - askedAtMs.get(2));
      assertTrue(waitsMs.get(0) >= 500 && waitsMs.get(1) >= 1000 && waitsMs.get(2) >= 2000,
        "the waits between the fetches were " + waitsMs + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void anUnavailableVerdictRefusesEveryUrlAndHasNoDelayNorSitemaps() {
    Robots.Verdict unavailable = new Robots.Unavailable(ErrorKind.CONNECT, "robots.txt of http://a.test:80 could not be fetched");
    assertEquals(List.of(false, 0L, List.of()),
      List.of(unavailable.allows("http://a.test:80/"), unavailable.crawlDelayMs(), unavailable.sitemaps()));
  }
}
