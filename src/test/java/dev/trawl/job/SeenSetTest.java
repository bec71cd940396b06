package dev.trawl.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The URLs a crawl has enqueued. Its whole surface is {@code add} (true once per URL) and the
 * static {@code hash}; it has no size or contains.
 */
class SeenSetTest {

  /** Well past the first table of 1,024 slots (grown at 70% full): the table doubles five times. */
  private static final int MANY = 20_000;

  private static List<String> urls(int count) {
    List<String> urls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      urls.add("https://example.test/page/" + i);
    }
    return urls;
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.test/", "https://example.test/a?b=c#d", "https://exämple.test/ü", ""})
  void aUrlIsNewTheFirstTime(String url) {
    assertTrue(new SeenSet().add(url));
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.test/", "https://example.test/a?b=c#d", "https://exämple.test/ü", ""})
  void aUrlIsSeenTheSecondTime(String url) {
    SeenSet seen = new SeenSet();
    seen.add(url);
    assertFalse(seen.add(url));
  }

  @ParameterizedTest(name = "{0} then {1}")
  @CsvSource({
    "https://example.test/a, https://example.test/a/",
    "https://example.test/a, http://example.test/a",
    "https://example.test/a, https://example.test/A",
    "https://example.test/a?x=1, https://example.test/a?x=2",
    "https://example.test/u, https://example.test/ü",
  })
  void aUrlThatDiffersInAnyCharacterIsNew(String first, String second) {
    SeenSet seen = new SeenSet();
    seen.add(first);
    assertTrue(seen.add(second));
  }

  @Test
  void manyDistinctUrlsAreEachNewAsTheTableGrows() {
    SeenSet seen = new SeenSet();
    int added = 0;
    for (String url : urls(MANY)) {
      added += seen.add(url) ? 1 : 0;
    }
    assertEquals(MANY, added);
  }

  @Test
  void everyUrlIsStillSeenAfterTheTableGrew() {
    SeenSet seen = new SeenSet();
    List<String> urls = urls(MANY);
    urls.forEach(seen::add);
    int addedAgain = 0;
    for (String url : urls) {
      addedAgain += seen.add(url) ? 1 : 0;
    }
    assertEquals(0, addedAgain);
  }

  @Test
  void aUrlSeenBeforeTheTableGrewIsStillSeen() {
    SeenSet seen = new SeenSet();
    seen.add("https://example.test/first");
    urls(MANY).forEach(seen::add);
    assertFalse(seen.add("https://example.test/first"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.test/", "https://exämple.test/ü", ""})
  void theHashOfAUrlIsTheSameEveryTime(String url) {
    long first = SeenSet.hash(url);
    assertEquals(first, SeenSet.hash(new String(url.toCharArray())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.test/", "https://exämple.test/ü", "", "\u0000"})
  void theHashIsNeverTheEmptySlot(String url) {
    assertNotEquals(0L, SeenSet.hash(url));
  }
}
