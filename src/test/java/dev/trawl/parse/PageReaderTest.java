package dev.trawl.parse;

import dev.trawl.config.Problems;
import dev.trawl.error.ErrorKind;
import dev.trawl.error.TrawlFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@Timeout(10)
class PageReaderTest {

  private static final String PAGE = "<html><body><a href=\"/x#top\">x</a><a href=\"/x\">again</a>"
    + "<a href=\"http://b.example/y\">elsewhere</a><a href=\"/private/z\">z</a></body></html>";
  private static final String URLSET = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
    + "<url><loc>http://a.example/one</loc></url><url><loc>http://a.example/private/two</loc></url></urlset>";
  private static final String INDEX = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    + "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
    + "<sitemap><loc>http://a.example/pages.xml</loc></sitemap></sitemapindex>";
  private static final FollowSpec SAME_HOST_NOT_PRIVATE =
    new FollowSpec("a[href]", 1, true, List.of(), List.of("/private/"), 100, false);

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aBodyWhoseParseCouldNeverFitTheBudgetIsTooLargeAndSaysWhy(Vertx vertx) {
    PageReader reader = new PageReader(vertx, 16, new ParseBudget(1000, 4));
    Throwable error = reader.page(ParseSpec.DEFAULT, null, false, bytes("[" + "{},".repeat(33) + "{}]"),
      "application/json", "http://a.example/").cause();
    assertEquals(ErrorKind.TOO_LARGE, ((TrawlFailure) error).kind());
    assertEquals("parsing this 103-byte json body needs about 2163 bytes of heap, over the node's parse budget of"
      + " 1000 bytes (half the maximum heap, -Xmx)", error.getMessage());
  }

  /** XPath runs on a W3C copy of the page's tree, which the budget counts beside jsoup's. */
  @Test
  void xpathFieldsReserveRoomForTheSecondTreeTheyRunOn(Vertx vertx) {
    byte[] page = bytes("<h1>" + "x".repeat(91) + "</h1>");
    long treeOnly = 100L * ParseBudget.HTML_FACTOR;
    long withXPath = treeOnly + 100L * ParseBudget.XPATH_FACTOR;
    PageReader reader = new PageReader(vertx, 16, new ParseBudget(withXPath - 1, 4));
    Problems problems = new Problems();
    ParseSpec css = ParseSpec.parse(new JsonObject().put("fields", new JsonObject().put("h", "h1")), "parse", problems);
    ParseSpec xpath = ParseSpec.parse(new JsonObject().put("fields", new JsonObject()
      .put("h", new JsonObject().put("xpath", "//h1"))), "parse", problems);
    assertEquals(List.of(), problems.list());

    assertEquals("x".repeat(91), reader.page(css, null, false, page, "text/html", "http://a.example/").await()
      .data().getString("h"));
    Throwable error = reader.page(xpath, null, false, page, "text/html", "http://a.example/").cause();
    assertEquals(ErrorKind.TOO_LARGE, ((TrawlFailure) error).kind());
    assertEquals("parsing this 100-byte html body for XPath needs about " + withXPath + " bytes of heap, over the"
      + " node's parse budget of " + (withXPath - 1) + " bytes (half the maximum heap, -Xmx)", error.getMessage());
  }

  @Test
  void aParseThatDoesNotFitWaitsUntilAnotherGivesItsRoomBack(Vertx vertx) {
    ParseBudget budget = new ParseBudget(100, 4);
    ParseBudget.Grant first = budget.reserve(60, "first", vertx.getOrCreateContext()).await();
    Future<ParseBudget.Grant> second = budget.reserve(60, "second", vertx.getOrCreateContext());
    assertEquals(List.of(false, 60L), List.of(second.isComplete(), budget.reserved()));
    first.release();
    first.release();
    second.await().release();
    assertEquals(0L, budget.reserved());
  }

  @Test
  void aParseIsRefusedWhenTooManyAlreadyWait(Vertx vertx) {
    ParseBudget budget = new ParseBudget(100, 1);
    budget.reserve(100, "first", vertx.getOrCreateContext()).await();
    budget.reserve(1, "second", vertx.getOrCreateContext());
    Throwable third = budget.reserve(1, "third", vertx.getOrCreateContext()).cause();
    assertEquals("parsing third: 1 parses already wait for the node's parse budget of 100 bytes", third.getMessage());
  }

  /** 4,000 distinct links of 8 KiB are 64 MiB of keys: the normalisation cache keeps to its 16 MiB. */
  @Test
  void theLinkNormalisationCacheIsBoundedByBytes() {
    String tail = "x".repeat(8_000);
    for (int i = 0; i < 4_000; i++) {
      Links.normalize("http://a.example/" + i + "/" + tail);
      assertTrue(Links.cachedBytes() <= 16L << 20, "cached " + Links.cachedBytes() + " bytes after " + i);
    }
  }

  @Test
  void aPageNobodyReadsIsNotParsed(Vertx vertx) {
    ParseSpec none = new ParseSpec(ParseAs.NONE, List.of(), java.util.Map.of(), false);
    ParsedPage page = new PageReader(vertx, 1024).page(none, null, false, bytes("\u0000not html"), "text/html",
      "http://a.example/").await();
    assertSame(ParsedPage.EMPTY, page);
  }

  @Test
  void aCrawlGetsTheLinksWorthFollowingNormalisedFilteredAndOnce(Vertx vertx) {
    ParsedPage page = new PageReader(vertx, 1024).page(ParseSpec.DEFAULT, SAME_HOST_NOT_PRIVATE, false, bytes(PAGE),
      "text/html", "http://a.example/start").await();
    assertEquals(List.of("http://a.example/x"), page.found());
  }

  /**
   * A page of about 1 MiB: parsing it takes milliseconds, so an offloaded parse cannot have
   * finished by the time the caller looks, while an in-place one is done before the call returns.
   */
  @ParameterizedTest
  @CsvSource({"4194304, true", "16, false"})
  void aPageOverTheOffloadSizeIsParsedOffTheEventLoop(int offloadBytes, boolean answeredInPlace, Vertx vertx) {
    PageReader reader = new PageReader(vertx, offloadBytes);
    byte[] bigPage = bytes("<html><body>" + "<p>filler text</p>".repeat(60_000) + "</body></html>");
    Promise<Boolean> inPlace = Promise.promise();
    vertx.runOnContext(v -> {
      Future<ParsedPage> parsed = reader.page(ParseSpec.DEFAULT, null, false, bigPage, "text/html", "http://a.example/");
      inPlace.complete(parsed.isComplete());
    });
    assertEquals(answeredInPlace, inPlace.future().await());
  }

  @Test
  void aSitemapsPagesAreFilteredAsACrawlsLinks(Vertx vertx) {
    Sitemaps.Read read = new PageReader(vertx, 1024).sitemap(SAME_HOST_NOT_PRIVATE, bytes(URLSET), "application/xml",
      "http://a.example/sitemap.xml").await();
    assertEquals(List.of("http://a.example/one"), read.pages());
  }

  @Test
  void aSitemapIndexListsItsSitemaps(Vertx vertx) {
    Sitemaps.Read read = new PageReader(vertx, 1024).sitemap(null, bytes(INDEX), "application/xml",
      "http://a.example/sitemap.xml").await();
    assertEquals(List.of("http://a.example/pages.xml"), read.sitemaps());
  }

  @Test
  void aBodyThatIsNoSitemapFailsAsParse(Vertx vertx) {
    Throwable error = new PageReader(vertx, 1024).sitemap(null, bytes("{\"not\": \"xml\"}"), "application/json",
      "http://a.example/sitemap.xml").transform(done -> Future.succeededFuture(done.cause())).await();
    assertEquals(ErrorKind.PARSE, ((TrawlFailure) error).kind());
    assertTrue(error.getMessage().startsWith("not a sitemap: "), error.getMessage());
  }

  @Test
  void robotsTxtIsKeptAsText(Vertx vertx) {
    ParsedPage robots = new PageReader(vertx, 1024).robots(bytes("User-agent: *\nDisallow: /private/\n"));
    assertEquals("User-agent: *\nDisallow: /private/\n", robots.text());
  }
}
