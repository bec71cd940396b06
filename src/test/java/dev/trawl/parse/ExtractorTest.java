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

  @Test
  void invalidSelectorsAndPointersAreProblems() {
    Problems problems = new Problems();
    ParseSpec.parse(new JsonObject().put("as", "xml").put("fields", new JsonObject().put("a", "div[").put("b", 3))
      .put("json", new JsonObject().put("c", "no-slash")), "parse", problems);
    assertEquals(4, problems.list().size(), problems.list().toString());
  }
}
