package dev.trawl.parse;

import dev.trawl.config.Problems;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code follow}'s validation: RE2 filters and a selector that runs in linear time. */
class FollowSpecTest {

  private static List<String> problemsOf(JsonObject follow) {
    Problems problems = new Problems();
    FollowSpec.parse(follow, "follow", 1_000, problems);
    return problems.list();
  }

  private static List<String> keysOf(List<String> problems) {
    return problems.stream().map(p -> p.substring(0, p.indexOf(':'))).toList();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
    include | (a)\\1
    include | foo(?=bar)
    exclude | (?<!x)y
    exclude | a++
    include | [z-a]
    include | x{1001}
    exclude | (
    """)
  void aPatternRe2DoesNotAcceptIsAProblemNamingItsKey(String key, String pattern) {
    List<String> problems = problemsOf(new JsonObject().put(key, new JsonArray().add(pattern)));
    assertEquals(List.of("follow." + key), keysOf(problems), problems.toString());
  }

  @Test
  void theCatastrophicPatternIsAcceptedBecauseRe2RunsItInLinearTime() {
    assertEquals(List.of(), problemsOf(new JsonObject().put("include", new JsonArray().add("(.*x){12}y"))));
  }

  @Test
  void aFilterThatIsNoStringIsAProblem() {
    assertEquals(List.of("follow.exclude"), keysOf(problemsOf(new JsonObject().put("exclude", new JsonArray().add(5)))));
  }

  @Test
  void aLinksSelectorWithAnUnsupportedRegexIsAProblemNamingIt() {
    assertEquals(List.of("follow.links"), keysOf(problemsOf(new JsonObject().put("links", "a:matches((a)\\1)"))));
  }
}
