package dev.trawl.parse;

import dev.trawl.config.Problems;
import io.vertx.core.json.JsonObject;
import org.jsoup.helper.Regex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regular expressions in {@code parse.fields} selectors: jsoup runs them with RE2/J (linear time),
 * and a pattern RE2 does not accept is a problem naming the field.
 */
class ParseSpecTest {

  private static final String HOSTILE_PAGE = "<html><body><p title=\"" + "x".repeat(40) + "\">" + "x".repeat(40)
    + "</p></body></html>";

  /**
   * Runs one harmless selector regex first: the one-second bound below is on the regex, not on a
   * cold JVM loading jsoup, RE2/J and the extractor (the first case took 1.3 s of that with both
   * cores busy, the others 18-67 ms; the catastrophic pattern takes 3.9 s on 33 characters).
   */
  @BeforeAll
  static void loadTheExtractor() {
    extractHit("p:matches(x)");
  }

  private static Object extractHit(String css) {
    Problems problems = new Problems();
    ParseSpec spec = ParseSpec.parse(new JsonObject().put("fields", new JsonObject().put("hit", css)), "parse", problems);
    assertEquals(List.of(), problems.list());
    return Extractor.extract(spec, HOSTILE_PAGE.getBytes(StandardCharsets.UTF_8), "text/html", "http://a.example/", false)
      .data().getValue("hit");
  }

  private static List<String> problemsOf(String field, String css) {
    Problems problems = new Problems();
    ParseSpec.parse(new JsonObject().put("fields", new JsonObject().put(field, css)), "parse", problems);
    return problems.list();
  }

  @Test
  void jsoupRunsSelectorRegexesWithRe2j() {
    assertTrue(Regex.usingRe2j());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"p:matches((.*x){12}y)", "p:matchesOwn((.*x){12}y)", "p:matchesWholeText((.*x){12}y)",
    "p:matchesWholeOwnText((.*x){12}y)", "p[title~=(.*x){12}y]"})
  @Timeout(value = 1, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aCatastrophicSelectorRegexRunsInLinearTime(String css) {
    assertEquals(null, extractHit(css));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"p:matches((a)\\1)", "p:matchesOwn(x(?=y))", "p[title~=a++]", "p:matchesWholeText((?<!a)b)"})
  void aSelectorRegexRe2DoesNotAcceptIsAProblemNamingTheField(String css) {
    List<String> problems = problemsOf("price", css);
    assertEquals(List.of("parse.fields.price"), problems.stream().map(p -> p.substring(0, p.indexOf(':'))).toList(),
      problems.toString());
  }
}
