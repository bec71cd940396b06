package dev.trawl.job;

import dev.trawl.config.ConfigLoader;
import dev.trawl.config.JobDefaults;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobSpecTest {

  private final JobDefaults defaults = JobDefaults.of(ConfigLoader.effective(new JsonObject(), Map.of()));

  private JobSpec.Parsed parse(JsonObject job) {
    return JobSpec.parse(job, defaults, 1000);
  }

  @Test
  void theSpecExampleIsValidApartFromFollow() {
    JsonObject job = new JsonObject("""
      {"name": "books",
       "requests": ["http://shop.example/p/1",
         {"url": "http://shop.example/api/search", "method": "POST", "headers": {"X-Trace": "1"}, "json": {"q": "tea"}}],
       "mode": "join", "deadlineMs": 60000, "headers": {"User-Agent": "trawl/1.0"}, "cookies": {"session": "abc"},
       "limits": {"concurrency": 64, "perHost": 8, "perHostDelayMs": 0},
       "timeouts": {"connectMs": 5000, "idleMs": 10000, "totalMs": 30000},
       "retry": {"attempts": 3, "backoffMs": 250, "on": ["timeout", "connect", "429", "5xx"]},
       "parse": {"as": "auto", "fields": {"title": "h1", "price": ".price", "cover": "img.cover@src", "tags": ["ul.tags li"]},
                 "json": {"id": "/id", "name": "/name"}, "links": false},
       "robots": "obey", "output": {"body": false}}""");
    JobSpec.Parsed parsed = parse(job);
    assertTrue(parsed.problems().isEmpty(), parsed.problems().list().toString());
    JobSpec spec = parsed.spec();
    assertEquals(Mode.JOIN, spec.mode());
    assertEquals(4, spec.parse().fields().size());
    assertEquals("src", spec.parse().fields().get(2).attr());
    assertTrue(spec.parse().fields().get(3).all());
  }

  @Test
  void limitsTimeoutsAndRetryFallBackToTheNodeConfig() {
    JobSpec spec = parse(new JsonObject().put("name", "x").put("requests", new JsonArray().add("https://a.example/"))
      .put("timeouts", new JsonObject().put("totalMs", 1234))).spec();
    assertNotNull(spec);
    assertEquals(1234, spec.timeouts().totalMs());
    assertEquals(5000, spec.timeouts().connectMs());
    assertEquals(64, spec.limits().concurrency());
    assertEquals(3, spec.retry().attempts());
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", "a/b", "", "sp ace", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  void namesOutsideThePatternAreRejected(String name) {
    JobSpec.Parsed parsed = parse(new JsonObject().put("name", name).put("requests", new JsonArray().add("http://a.example/")));
    assertNull(parsed.spec());
    assertTrue(parsed.problems().list().get(0).startsWith("name"));
  }

  @Test
  void requestsAndRequestsFileAreExclusiveAndFollowIsChecked() {
    JobSpec.Parsed both = parse(new JsonObject().put("name", "x").put("requests", new JsonArray().add("http://a.example/"))
      .put("requestsFile", "/tmp/x").put("follow", new JsonObject().put("maxDepth", -1).put("include", new JsonArray().add("(["))
        .put("colour", "red")));
    List<String> problems = both.problems().list();
    assertTrue(problems.contains("give exactly one of requests and requestsFile"), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("follow.maxDepth")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("follow.include")), problems.toString());
    assertTrue(problems.contains("follow.colour: unknown key"), problems.toString());
    JobSpec crawl = parse(new JsonObject().put("name", "x").put("requests", new JsonArray().add("http://a.example/"))
      .put("follow", new JsonObject())).spec();
    assertEquals("a[href]", crawl.follow().links());
    assertEquals(1, crawl.follow().maxDepth());
    assertTrue(crawl.follow().sameHost());
  }

  @Test
  void aBadFileLineIsAnInvalidRequestNotAnException() {
    RequestSpec.Defaults job = new RequestSpec.Defaults(defaults.timeouts(), Map.of());
    RequestSpec line = RequestSpec.ofLine(41, "gopher://old.example/", job);
    assertTrue(!line.valid() && line.problem().contains("scheme must be http or https"), line.problem());
    assertEquals(41, line.index());
    RequestSpec json = RequestSpec.ofLine(3, "{\"url\": \"http://a.example/\", \"method\": \"POST\", \"json\": [1]}", job);
    assertTrue(json.valid());
    assertEquals("[1]", json.body());
    assertEquals("application/json", json.headers().get("Content-Type"));
  }
}
