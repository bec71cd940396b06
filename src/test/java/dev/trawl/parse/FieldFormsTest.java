package dev.trawl.parse;

import dev.trawl.config.Problems;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The object forms of {@code parse.fields} ({@code css} or {@code xpath}, {@code attr}, {@code all},
 * {@code regex}, {@code group}) and of {@code parse.json} ({@code jsonpath}): each invalid one is a
 * problem at its own path, and every valid one survives the wire between coordinator and fetchers.
 */
class FieldFormsTest {

  private static List<String> problemsOf(JsonObject parse) {
    Problems problems = new Problems();
    ParseSpec.parse(parse, "parse", problems);
    return problems.list();
  }

  private static List<String> fieldProblems(String field) {
    return problemsOf(new JsonObject().put("fields", new JsonObject().put("f", parseValue(field))));
  }

  private static List<String> jsonProblems(String query) {
    return problemsOf(new JsonObject().put("json", new JsonObject().put("j", parseValue(query))));
  }

  /** A JSON value as written in a job. */
  private static Object parseValue(String json) {
    return new JsonArray("[" + json + "]").getValue(0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "3                                               | parse.fields.f: must be a CSS selector, a one-element array of one, or an object such as {\"xpath\": \"//h1\"}",
    "{\"css\": \"h1\", \"xpath\": \"//h1\"}          | parse.fields.f: needs exactly one of css and xpath",
    "{\"attr\": \"href\"}                            | parse.fields.f: needs exactly one of css and xpath",
    "{\"css\": \"h1\", \"colour\": \"red\"}          | parse.fields.f.colour: unknown key",
    "{\"css\": 1}                                    | parse.fields.f.css: must be a string",
    "{\"css\": \"h1\", \"attr\": \" \"}              | parse.fields.f.attr: must be an attribute name",
    "{\"css\": \"h1\", \"all\": \"yes\"}             | parse.fields.f.all: must be true or false",
    "{\"css\": \"h1\", \"group\": 1}                 | parse.fields.f.group: needs a regex",
    "{\"css\": \"h1\", \"regex\": \"(a)\", \"group\": 2}   | parse.fields.f.group: must be between 0 and 1",
    "{\"css\": \"h1\", \"regex\": \"a\", \"group\": 1}     | parse.fields.f.group: must be between 0 and 0",
    "{\"css\": \"h1\", \"regex\": \"(a)\", \"group\": 0.5} | parse.fields.f.group: must be a whole number",
  })
  void anInvalidFieldObjectIsAProblemAtItsPath(String field, String problem) {
    assertEquals(List.of(problem), fieldProblems(field));
  }

  /** Which part the problem names, and the start of what it says; the rest is the parser's own words. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "{\"css\": \"div[\"}                        | parse.fields.f.css: invalid CSS selector: ",
    "{\"xpath\": \"//h1[\"}                     | parse.fields.f.xpath: invalid XPath (1.0, selecting nodes): ",
    "{\"xpath\": \"count(//a)\"}                | parse.fields.f.xpath: invalid XPath (1.0, selecting nodes): ",
    "{\"xpath\": \"\"}                          | parse.fields.f.xpath: invalid XPath (1.0, selecting nodes): ",
    "{\"css\": \"h1\", \"regex\": \"(a)\\\\1\"} | parse.fields.f.regex: not a regular expression RE2 accepts (no backreferences, lookaround or possessive quantifiers): ",
    "{\"css\": \"h1\", \"regex\": \"a(?=b)\"}   | parse.fields.f.regex: not a regular expression RE2 accepts (no backreferences, lookaround or possessive quantifiers): ",
  })
  void anExpressionItsEngineRefusesIsAProblemAtItsPath(String field, String start) {
    List<String> problems = fieldProblems(field);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith(start), problems.get(0));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "\"no-slash\"                                       | parse.json.j: must be a JSON Pointer such as /items/0/name, or {\"jsonpath\": \"$.items[*].name\"}",
    "{\"jsonpath\": \"items[*]\"}                        | parse.json.j.jsonpath: must start with $, the document's root",
    "{\"jsonpath\": \"\"}                                | parse.json.j.jsonpath: must start with $, the document's root",
    "{\"jsonpath\": \"$.items[?(@.name =~ /a.*/)]\"}     | parse.json.j.jsonpath: regular-expression filters (=~) are not supported: JsonPath runs them with java.util.regex, which backtracks",
    "{\"jsonpath\": 3}                                   | parse.json.j.jsonpath: must be a string",
  })
  void anInvalidJsonQueryIsAProblemAtItsPath(String query, String problem) {
    assertEquals(List.of(problem), jsonProblems(query));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "{\"jsonpath\": \"$..\"}",
    "{\"jsonpath\": \"$.items[0\"}",
    "{\"jsonpath\": \"$.items[?(@.id >)]\"}",
  })
  void aJsonPathTheLibraryRefusesIsAProblemAtItsPath(String query) {
    List<String> problems = jsonProblems(query);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("parse.json.j.jsonpath: invalid JSONPath: "), problems.get(0));
  }

  @Test
  void aJsonPathObjectNeedsItsKeyAndNoOther() {
    assertEquals(List.of("parse.json.j.path: unknown key", "parse.json.j.jsonpath: is required"),
      jsonProblems("{\"path\": \"$.a\"}"));
  }

  @Test
  void everyProblemOfEveryFieldIsListed() {
    JsonObject parse = new JsonObject()
      .put("fields", new JsonObject()
        .put("a", parseValue("{\"css\": \"h1\", \"xpath\": \"//h1\", \"regex\": \"(x)\", \"group\": 3}"))
        .put("b", "h1")
        .put("c", parseValue("{\"css\": \"h1\", \"all\": 1, \"attr\": 2}")))
      .put("json", new JsonObject().put("d", parseValue("{\"jsonpath\": \"x\"}")).put("e", "/ok"));
    assertEquals(List.of("parse.fields.a: needs exactly one of css and xpath",
      "parse.fields.a.group: must be between 0 and 1",
      "parse.fields.c.attr: must be a string",
      "parse.fields.c.all: must be true or false",
      "parse.json.d.jsonpath: must start with $, the document's root"), problemsOf(parse));
  }

  @Test
  void theGroupIsOneWhenTheRegexHasOneElseTheWholeMatch() {
    Problems problems = new Problems();
    ParseSpec spec = ParseSpec.parse(new JsonObject().put("fields", new JsonObject()
      .put("grouped", parseValue("{\"css\": \"p\", \"regex\": \"a(b)\"}"))
      .put("plain", parseValue("{\"css\": \"p\", \"regex\": \"ab\"}"))), "parse", problems);
    assertEquals(List.of(), problems.list());
    assertEquals(List.of(1, 0), spec.fields().stream().map(FieldSelector::group).toList());
  }

  /** Jobs of today's forms travel as they came; the object forms travel as objects, and all come back equal. */
  @Test
  void everyFormSurvivesTheWireAndTodaysFormsStayStrings() {
    JsonObject fields = new JsonObject()
      .put("title", "h1")
      .put("cover", "img.cover@src")
      .put("tags", new JsonArray().add("ul.tags li"))
      .put("odd", "a[href*=@]")
      .put("heading", parseValue("{\"xpath\": \"//h1/text()\"}"))
      .put("hrefs", parseValue("{\"xpath\": \"//a/@href\", \"all\": true}"))
      .put("price", parseValue("{\"css\": \".price\", \"regex\": \"([0-9.]+)\", \"group\": 1}"))
      .put("links", parseValue("{\"css\": \"a\", \"attr\": \"href\", \"all\": true}"));
    JsonObject json = new JsonObject().put("name", "/name").put("ids", parseValue("{\"jsonpath\": \"$.items[*].id\"}"));
    Problems problems = new Problems();
    ParseSpec spec = ParseSpec.parse(new JsonObject().put("fields", fields).put("json", json), "parse", problems);
    assertEquals(List.of(), problems.list());

    JsonObject wire = new JsonObject(spec.toJson().encode());
    assertEquals(spec, ParseSpec.fromJson(wire));
    assertEquals(new JsonObject().put("title", "h1").put("cover", "img.cover@src")
      .put("tags", new JsonArray().add("ul.tags li")).put("odd", "a[href*=@]")
      .put("heading", parseValue("{\"xpath\": \"//h1/text()\"}"))
      .put("hrefs", parseValue("{\"xpath\": \"//a/@href\", \"all\": true}"))
      .put("price", parseValue("{\"css\": \".price\", \"regex\": \"([0-9.]+)\", \"group\": 1}"))
      .put("links", new JsonArray().add("a@href")), wire.getJsonObject("fields"));
    assertEquals(json, wire.getJsonObject("json"));
  }

  @Test
  void aFieldWhoseStringFormWouldReadDifferentlyTravelsAsAnObject() {
    FieldSelector bracket = FieldSelector.css("f", "p", "a]b", false);
    assertEquals(new JsonObject().put("css", "p").put("attr", "a]b"), bracket.spec());
    assertEquals(bracket, FieldSelector.of("f", bracket.spec()));
  }
}
