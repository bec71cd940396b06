package dev.trawl.parse;

import dev.trawl.config.Problems;
import dev.trawl.error.TrawlFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractorTest {

  private static final String PAGE = "<html><head><title>T</title></head><body><h1> Oolong </h1><p class=price>€4.50</p>"
    + "<img class=cover src=\"../img/1.png\"><ul class=tags><li>tea</li><li>green</li></ul>"
    + "<a href=\"/a#x\">a</a><a href=\"/a\">again</a><a href=\"mailto:x@y\">m</a><a href=\"b?q=1\">b</a></body></html>";

  private static ParseSpec spec(JsonObject json) {
    Problems problems = new Problems();
    ParseSpec spec = ParseSpec.parse(json, "parse", problems);
    assertTrue(problems.isEmpty(), problems.list().toString());
    return spec;
  }

  @Test
  void fieldsTakeTextAttributesResolvedAndArraysOfEveryMatch() {
    ParseSpec spec = spec(new JsonObject().put("fields", new JsonObject().put("title", "h1").put("price", ".price")
      .put("cover", "img.cover@src").put("tags", new JsonArray().add("ul.tags li")).put("missing", "h2")).put("links", true));
    ParsedPage page = Extractor.extract(spec, PAGE.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8",
      "http://shop.example/p/1", false);
    assertEquals("Oolong", page.data().getString("title"));
    assertEquals("€4.50", page.data().getString("price"));
    assertEquals("http://shop.example/img/1.png", page.data().getString("cover"));
    assertEquals(new JsonArray().add("tea").add("green"), page.data().getJsonArray("tags"));
    assertTrue(page.data().containsKey("missing"));
    assertNull(page.data().getValue("missing"));
    assertEquals(new JsonArray().add("http://shop.example/a").add("http://shop.example/p/b?q=1"), page.links());
  }

  @Test
  void firstMatchesReadOnlyAsFarAsNeededAndGiveTheSameAnswersAsAFullParse() {
    String nested = "<div class=box id=outer>outer <div class=box id=inner>inner</div></div>" + PAGE;
    JsonObject fields = new JsonObject().put("title", "h1").put("price", ".price").put("cover", "img.cover@src")
      .put("box", "div.box").put("missing", "h2").put("second", "ul.tags li:nth-child(2)");
    ParsedPage streamed = Extractor.extract(spec(new JsonObject().put("fields", fields)),
      nested.getBytes(StandardCharsets.UTF_8), "text/html", "http://shop.example/p/1", false);
    ParsedPage full = Extractor.extract(spec(new JsonObject().put("fields", fields).put("links", true)),
      nested.getBytes(StandardCharsets.UTF_8), "text/html", "http://shop.example/p/1", false);
    assertEquals(full.data(), streamed.data());
    assertEquals("outer inner", streamed.data().getString("box"), "the outer match starts first");
    assertEquals("green", streamed.data().getString("second"));
    assertNull(streamed.data().getValue("missing"));
    ParsedPage titleOnly = Extractor.extract(spec(new JsonObject()), PAGE.getBytes(StandardCharsets.UTF_8),
      "text/html", "http://x.example/", false);
    assertEquals("T", titleOnly.data().getString("title"));
  }

  @Test
  void aMetaCharsetIsHonouredWhenTheHeaderHasNone() {
    byte[] body = "<html><head><meta charset=\"windows-1252\"></head><body><h1>caf\u00e9 \u20ac</h1></body></html>"
      .getBytes(Charset.forName("windows-1252"));
    ParsedPage page = Extractor.extract(spec(new JsonObject().put("fields", new JsonObject().put("h", "h1"))), body,
      "text/html", "http://x.example/", false);
    assertEquals("caf\u00e9 \u20ac", page.data().getString("h"));
  }

  @Test
  void jsonPointersPickValuesAndAutoFollowsTheContentType() {
    ParseSpec spec = spec(new JsonObject().put("json", new JsonObject().put("name", "/items/1/name").put("none", "/nope")));
    byte[] body = "{\"items\":[{\"name\":\"a\"},{\"name\":\"b\"}]}".getBytes(StandardCharsets.UTF_8);
    ParsedPage page = Extractor.extract(spec, body, "application/vnd.api+json", "http://x.example/", false);
    assertEquals("b", page.data().getString("name"));
    assertNull(page.data().getValue("none"));
  }

  @ParameterizedTest
  @CsvSource({"text/html, content_type", "'', content_type", "application/json, parse"})
  void jsonAskedForFailsWithTheRightKind(String contentType, String kind) {
    ParseSpec spec = spec(new JsonObject().put("as", "json"));
    TrawlFailure e = assertThrows(TrawlFailure.class, () -> Extractor.extract(spec,
      "<html>{".getBytes(StandardCharsets.UTF_8), contentType, "http://x.example/", false));
    assertEquals(kind, e.kind().wire());
  }

  @ParameterizedTest
  @CsvSource({"text/html, HTML", "application/xhtml+xml, HTML", "application/json; charset=utf-8, JSON",
    "application/ld+json, JSON", "text/csv, TEXT", "image/png, NONE", "'', NONE"})
  void autoResolvesByContentType(String contentType, ParseAs expected) {
    assertEquals(expected, ParseAs.AUTO.resolve(contentType));
  }

  private static JsonObject fieldsOf(ParseSpec spec, String html) {
    return Extractor.extract(spec, html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8",
      "http://shop.example/p/1", false).data();
  }

  private static JsonObject object(String json) {
    return new JsonObject(json);
  }

  @Test
  void anXPathFieldGivesTheFirstOrEveryNodeItSelects() {
    JsonObject fields = new JsonObject()
      .put("heading", object("{\"xpath\": \"//h1/text()\"}"))
      .put("tags", object("{\"xpath\": \"//ul[@class='tags']/li\", \"all\": true}"))
      .put("missing", object("{\"xpath\": \"//h2\"}"))
      .put("none", object("{\"xpath\": \"//h2\", \"all\": true}"));
    JsonObject data = fieldsOf(spec(new JsonObject().put("fields", fields)), PAGE);
    assertEquals(new JsonObject().put("heading", "Oolong").put("tags", new JsonArray().add("tea").add("green"))
      .putNull("missing").put("none", new JsonArray()), data);
  }

  @Test
  void anXPathTextStepGivesEachTextNodeTrimmedAndSkipsBlankOnes() {
    String page = "<h1>Hello <b>big</b> world</h1>\n<ul>\n  <li>a</li>\n</ul>";
    JsonObject fields = new JsonObject()
      .put("first", object("{\"xpath\": \"//h1/text()\"}"))
      .put("every", object("{\"xpath\": \"//h1/text()\", \"all\": true}"))
      .put("blank", object("{\"xpath\": \"//ul/text()\", \"all\": true}"));
    JsonObject data = fieldsOf(spec(new JsonObject().put("fields", fields)), page);
    assertEquals(new JsonObject().put("first", "Hello").put("every", new JsonArray().add("Hello").add("world"))
      .put("blank", new JsonArray()), data);
  }

  @Test
  void anXPathReadsAttributesByStepOrByAttrWithLinksMadeAbsolute() {
    JsonObject fields = new JsonObject()
      .put("cover", object("{\"xpath\": \"//img/@src\"}"))
      .put("hrefs", object("{\"xpath\": \"//a/@href\", \"all\": true}"))
      .put("viaAttr", object("{\"xpath\": \"//a\", \"attr\": \"href\"}"))
      .put("classes", object("{\"xpath\": \"//*[@class]\", \"attr\": \"class\", \"all\": true}"));
    JsonObject data = fieldsOf(spec(new JsonObject().put("fields", fields)), PAGE);
    assertEquals(new JsonObject().put("cover", "http://shop.example/img/1.png")
      .put("hrefs", new JsonArray().add("http://shop.example/a#x").add("http://shop.example/a").add("mailto:x@y")
        .add("http://shop.example/p/b?q=1"))
      .put("viaAttr", "http://shop.example/a#x")
      .put("classes", new JsonArray().add("price").add("cover").add("tags")), data);
  }

  /** The same answers whether the page is read only up to the first matches or built whole. */
  @Test
  void aRegexTakesItsGroupFromTheSelectedTextOrAttribute() {
    JsonObject fields = new JsonObject()
      .put("amount", object("{\"css\": \".price\", \"regex\": \"([0-9.]+)\"}"))
      .put("whole", object("{\"css\": \".price\", \"regex\": \"[0-9]+\"}"))
      .put("cents", object("{\"css\": \".price\", \"regex\": \"([0-9]+)\\\\.([0-9]+)\", \"group\": 2}"))
      .put("unmatched", object("{\"css\": \"h1\", \"regex\": \"[0-9]\"}"))
      .put("image", object("{\"css\": \"img.cover\", \"attr\": \"src\", \"regex\": \"/([^/]+)\\\\.png$\"}"));
    ParseSpec streamed = spec(new JsonObject().put("fields", fields));
    ParseSpec whole = spec(new JsonObject().put("fields", fields.copy().put("h", "h1")).put("links", true));
    JsonObject expected = new JsonObject().put("amount", "4.50").put("whole", "4").put("cents", "50")
      .putNull("unmatched").put("image", "1");
    assertEquals(expected, fieldsOf(streamed, PAGE));
    assertEquals(expected.copy().put("h", "Oolong"), fieldsOf(whole, PAGE));
  }

  @Test
  void aRegexOnEveryMatchLeavesOutTheValuesItDoesNotMatch() {
    JsonObject fields = new JsonObject()
      .put("g", object("{\"css\": \"ul.tags li\", \"all\": true, \"regex\": \"^g(.*)\"}"))
      .put("paths", object("{\"xpath\": \"//a/@href\", \"all\": true, \"regex\": \"^http://shop.example(/[a-z/]+)\"}"))
      .put("initial", object("{\"xpath\": \"//h1\", \"regex\": \"^O(.)\"}"));
    JsonObject data = fieldsOf(spec(new JsonObject().put("fields", fields)), PAGE);
    assertEquals(new JsonObject().put("g", new JsonArray().add("reen"))
      .put("paths", new JsonArray().add("/a").add("/a").add("/p/b")).put("initial", "o"), data);
  }

  @Test
  void anObjectFieldSaysWhatItsStringFormSays() {
    JsonObject fields = new JsonObject()
      .put("asObject", object("{\"css\": \"a\", \"attr\": \"href\", \"all\": true}"))
      .put("asString", new JsonArray().add("a@href"))
      .put("coverObject", object("{\"css\": \"img.cover\", \"attr\": \"src\"}"))
      .put("coverString", "img.cover@src");
    JsonObject data = fieldsOf(spec(new JsonObject().put("fields", fields)), PAGE);
    assertEquals(data.getValue("asString"), data.getValue("asObject"));
    assertEquals("http://shop.example/img/1.png", data.getValue("coverObject"));
    assertEquals(data.getValue("coverString"), data.getValue("coverObject"));
  }

  @Test
  void aCrawledPageWithAnXPathFieldIsBuiltWholeAndGivesBothFieldAndLinks() {
    ParseSpec spec = spec(new JsonObject().put("fields", new JsonObject()
      .put("heading", object("{\"xpath\": \"//h1/text()\"}")).put("price", ".price")));
    ParsedPage page = Extractor.extract(spec, PAGE.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8",
      "http://shop.example/p/1", false, "a[href]");
    assertEquals(new JsonObject().put("heading", "Oolong").put("price", "€4.50"), page.data());
    assertEquals(List.of("http://shop.example/a#x", "http://shop.example/a", "mailto:x@y", "http://shop.example/p/b?q=1"),
      page.found());
  }

  @Test
  void jsonPathsGiveOneValueForADefinitePathAndAnArrayForAnyOther() {
    JsonObject queries = new JsonObject()
      .put("ids", object("{\"jsonpath\": \"$.items[*].id\"}"))
      .put("expensive", object("{\"jsonpath\": \"$.items[?(@.price > 2)].name\"}"))
      .put("first", object("{\"jsonpath\": \"$.items[0].name\"}"))
      .put("shop", object("{\"jsonpath\": \"$.shop\"}"))
      .put("count", object("{\"jsonpath\": \"$.items.length()\"}"))
      .put("missing", object("{\"jsonpath\": \"$.nope\"}"))
      .put("nowhere", object("{\"jsonpath\": \"$..nope\"}"))
      .put("pointer", "/items/1/name");
    byte[] body = ("{\"items\":[{\"id\":1,\"name\":\"a\",\"price\":1.5},{\"id\":2,\"name\":\"b\",\"price\":3}],"
      + "\"shop\":{\"open\":true,\"tags\":[\"tea\"]}}").getBytes(StandardCharsets.UTF_8);
    JsonObject data = Extractor.extract(spec(new JsonObject().put("json", queries)), body, "application/json",
      "http://x.example/", false).data();
    assertEquals("{\"ids\":[1,2],\"expensive\":[\"b\"],\"first\":\"a\",\"shop\":{\"open\":true,\"tags\":[\"tea\"]},"
      + "\"count\":2,\"missing\":null,\"nowhere\":[],\"pointer\":\"b\"}", data.encode());
    assertEquals(new JsonArray().add("tea"), data.getJsonObject("shop").getJsonArray("tags"));
  }

  @Test
  void aJsonPathRunsOnADocumentThatIsAnArray() {
    byte[] body = "[{\"id\":1},{\"id\":2}]".getBytes(StandardCharsets.UTF_8);
    JsonObject data = Extractor.extract(spec(new JsonObject().put("json", new JsonObject()
      .put("ids", object("{\"jsonpath\": \"$[*].id\"}")))), body, "application/json", "http://x.example/", false).data();
    assertEquals(new JsonObject().put("ids", new JsonArray().add(1).add(2)), data);
  }

  @Test
  void invalidSelectorsAndPointersAreProblems() {
    Problems problems = new Problems();
    ParseSpec.parse(new JsonObject().put("as", "xml").put("fields", new JsonObject().put("a", "div[").put("b", 3))
      .put("json", new JsonObject().put("c", "no-slash")), "parse", problems);
    assertEquals(4, problems.list().size(), problems.list().toString());
  }
}
