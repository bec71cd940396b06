package dev.trawl.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ConfinementTest {

  @ParameterizedTest(name = "{1} inside {0}: {2}")
  @CsvSource({
    "data,    data/books/1.jsonl,          true",
    "data,    ./data/books/1.jsonl,        true",
    "data,    data,                        true",
    "data/,   data/books/1.jsonl,          true",
    "data,    data/../data/books/1.jsonl,  true",
    "data,    data/../etc/passwd,          false",
    "data,    /etc/passwd,                 false",
    "data,    database/1.jsonl,            false",
    "/srv/in, /srv/in/urls.txt,            true",
    "/srv/in, /srv/inbox/urls.txt,         false",
    "/srv/in, /srv/in/../out/urls.txt,     false"})
  void aPathIsInsideWhenItLiesUnderTheRootOnceNormalised(String root, String path, boolean inside) {
    assertEquals(inside, Confinement.inside(root, path));
  }

  @Test
  void aStringThatIsNotAPathIsNotInside() {
    assertFalse(Confinement.inside("data", "data/\u0000.jsonl"));
  }
}
