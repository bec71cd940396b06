package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.trawl.support.Jobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every way to say what to extract, through a whole node against the origin's pages: XPath, a
 * regex group of a CSS match, every match's attribute as an object, today's strings, and JSONPath
 * beside JSON Pointers. A job with invalid expressions is refused with each problem at its path.
 */
class FieldFormsIT extends NodeIT {

  private static JsonObject object(String json) {
    return new JsonObject(json);
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void eachFieldFormTakesItsValueFromARealPage() {
    JsonObject fields = new JsonObject()
      .put("heading", object("{\"xpath\": \"//h1/text()\"}"))
      .put("price", object("{\"css\": \".price\", \"regex\": \"([0-9.]+)\", \"group\": 1}"))
      .put("links", object("{\"css\": \"a\", \"attr\": \"href\", \"all\": true}"))
      .put("cover", object("{\"xpath\": \"//img/@src\"}"))
      .put("tags", object("{\"xpath\": \"//ul[@class='tags']/li\", \"all\": true}"))
      .put("title", "h1")
      .put("cover2", "img.cover@src")
      .put("tags2", new JsonArray().add("ul.tags li"));
    JsonObject json = new JsonObject()
      .put("tags", object("{\"jsonpath\": \"$.tags[*]\"}"))
      .put("id", object("{\"jsonpath\": \"$.id\"}"))
      .put("name", "/name");
    JsonObject job = job("forms", origin.url("/page/1"), origin.url("/json/7"))
      .put("parse", new JsonObject().put("fields", fields).put("json", json));

    JsonObject summary = node.submitAndWait(job).await();
    assertEquals(2L, summary.getLong("ok"), summary.encode());
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    assertEquals(new JsonObject()
        .put("heading", "Page 1")
        .put("price", "1.00")
        .put("links", new JsonArray().add(origin.url("/page/1#top")).add(origin.url("/page/other/x")))
        .put("cover", origin.url("/img/1.png"))
        .put("tags", new JsonArray().add("a").add("b"))
        .put("title", "Page 1")
        .put("cover2", origin.url("/img/1.png"))
        .put("tags2", new JsonArray().add("a").add("b")),
      Jobs.result(results, 0).getJsonObject("data"));
    assertEquals(new JsonObject().put("tags", new JsonArray().add("x").add("y")).put("id", 7).put("name", "item 7"),
      Jobs.result(results, 1).getJsonObject("data"));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aJobWithInvalidExpressionsIsRefusedWithEveryProblemAtItsPath() {
    JsonObject fields = new JsonObject()
      .put("heading", object("{\"xpath\": \"//h1[\"}"))
      .put("count", object("{\"xpath\": \"count(//a)\"}"))
      .put("price", object("{\"css\": \".price\", \"regex\": \"(a)\\\\1\"}"))
      .put("cents", object("{\"css\": \".price\", \"regex\": \"([0-9]+)\", \"group\": 2}"))
      .put("both", object("{\"css\": \"h1\", \"xpath\": \"//h1\"}"))
      .put("extra", object("{\"css\": \"h1\", \"colour\": \"red\"}"))
      .put("fine", object("{\"css\": \"h1\"}"));
    JsonObject json = new JsonObject()
      .put("rooted", object("{\"jsonpath\": \"items[*]\"}"))
      .put("backtracks", object("{\"jsonpath\": \"$.items[?(@.name =~ /a.*/)]\"}"))
      .put("broken", object("{\"jsonpath\": \"$..\"}"));
    JsonObject job = job("invalid", origin.url("/page/1"))
      .put("parse", new JsonObject().put("fields", fields).put("json", json));

    HttpResponse<Buffer> response = node.submit(job).await();
    assertEquals(400, response.statusCode(), response.bodyAsString());
    List<String> problems = response.bodyAsJsonObject().getJsonArray("problems").stream().map(String.class::cast).toList();
    assertEquals(List.of("parse.fields.heading.xpath", "parse.fields.count.xpath", "parse.fields.price.regex",
        "parse.fields.cents.group", "parse.fields.both", "parse.fields.extra.colour", "parse.json.rooted.jsonpath",
        "parse.json.backtracks.jsonpath", "parse.json.broken.jsonpath"),
      problems.stream().map(p -> p.substring(0, p.indexOf(": "))).toList(), problems.toString());
    assertEquals("parse.json.backtracks.jsonpath: regular-expression filters (=~) are not supported: JsonPath runs"
      + " them with java.util.regex, which backtracks", problems.get(7));
    assertEquals(0, origin.hits(), "a refused job fetches nothing");
  }
}
