package dev.trawl.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProblemsTest {

  private static final String LONG = "k".repeat(5_000);

  @Test
  void listsTheFirstHundredThenHowManyMore() {
    Problems problems = new Problems();
    for (int i = 0; i < 250; i++) {
      problems.add("requests[" + i + "]", "must be a URL string or a request object");
    }
    List<String> list = problems.list();
    assertEquals(101, list.size());
    assertEquals("requests[99]: must be a URL string or a request object", list.get(99));
    assertEquals("and 150 more", list.get(100));
    assertEquals(101, problems.toJson().size());
  }

  @Test
  void aLongKeyIsShownCutAtTwoHundredCharacters() {
    Problems problems = new Problems();
    problems.unknownKeys(new JsonObject().put(LONG, 1), "limits", Set.of());
    assertEquals("limits." + "k".repeat(200) + "…: unknown key", problems.list().get(0));
  }

  @Test
  void aLongMessageIsCutAtTwoHundredCharacters() {
    Problems problems = new Problems();
    problems.add("parse.fields.title", "invalid CSS selector: " + LONG);
    assertEquals("parse.fields.title: " + ("invalid CSS selector: " + LONG).substring(0, 200) + "…",
      problems.list().get(0));
  }

  @Test
  void joinCutsAKeyThatCameFromTheInput() {
    assertEquals("parse.fields." + "k".repeat(200) + "…", Problems.join("parse.fields", LONG));
  }

  @Test
  void hidingInputShowsNoKey() {
    Problems problems = Problems.hidingInput();
    problems.unknownKeys(new JsonObject().put("PATH=/usr/bin", 1), "line 3", Set.of("url"));
    assertEquals(List.of("line 3.…: unknown key"), problems.list());
  }

  @Test
  void echoKeepsShortInputWhole() {
    assertEquals("abc", new Problems().echo("abc"));
    assertEquals("…", Problems.hidingInput().echo("abc"));
  }
}
