package dev.trawl.parse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinksTest {

  @ParameterizedTest
  @CsvSource({
    "http://a.example/x/y.html, /p/1.html, http://a.example/p/1.html",
    "http://a.example:8080/x/y.html, /p/1, http://a.example:8080/p/1",
    "http://a.example/x/y.html, ../z.html, http://a.example/z.html",
    "http://a.example/x/y.html, z.html?q=1, http://a.example/x/z.html?q=1",
    "https://a.example/x/, //b.example/p, https://b.example/p",
    "http://a.example/x/, HTTP://B.example/p, HTTP://B.example/p",
    "http://a.example/x/, #top, http://a.example/x/#top"})
  void resolvesAsABrowserWould(String base, String href, String expected) {
    assertEquals(expected, Links.resolve(base, href));
  }

  @ParameterizedTest
  @CsvSource({
    "HTTP://Shop.Example:80/a/./b/../c.html#frag, http://shop.example/a/c.html",
    "https://shop.example:443/p?b=2&a=1, https://shop.example/p?a=1&b=2",
    "ftp://shop.example/x, ''"})
  void normalisesWithCrawlerCommons(String url, String expected) {
    assertEquals(expected.isEmpty() ? null : expected, Links.normalize(url));
  }

  @Test
  void followKeepsTheHostAndTheFiltersAndEachLinkOnce() {
    FollowSpec follow = FollowSpec.fromJson(new JsonObject().put("links", "a[href]").put("maxDepth", 2)
      .put("sameHost", true).put("include", new JsonArray().add("/p/")).put("exclude", new JsonArray().add("/p/9"))
      .put("maxPages", 10).put("sitemaps", false));
    List<String> kept = new Links(follow).follow("http://shop.example/c/1", List.of(
      "http://shop.example/p/1#x", "http://SHOP.example/p/1", "http://shop.example/p/9", "http://other.example/p/2",
      "http://shop.example/about"));
    assertEquals(List.of("http://shop.example/p/1"), kept);
  }

  private static Links filtering(JsonArray include, JsonArray exclude) {
    return new Links(FollowSpec.fromJson(new JsonObject().put("links", "a[href]").put("maxDepth", 2)
      .put("sameHost", false).put("include", include).put("exclude", exclude).put("maxPages", 10).put("sitemaps", false)));
  }

  /** java.util.regex took 3.9 s for this include on this 33-character URL; RE2/J is linear. */
  @Test
  @Timeout(value = 1, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aCatastrophicIncludeRunsInLinearTime() {
    String url = "http://a.example/" + "x".repeat(16);
    Links links = filtering(new JsonArray().add("(.*x){12}y"), new JsonArray());
    assertEquals(List.of(List.of(), 33), List.of(links.follow("http://a.example/", List.of(url)), url.length()));
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aCatastrophicExcludeRunsInLinearTimeOnAPageOfHostileLinks() {
    List<String> hostile = new ArrayList<>(); // 16 KiB of links: a page parsed on an event loop
    for (int i = 0; i < 100; i++) {
      hostile.add("http://a.example/" + i + "/" + "x".repeat(140));
    }
    Links links = filtering(new JsonArray(), new JsonArray().add("(.*x){12}y").add("(x+x+)+y"));
    assertEquals(100, links.follow("http://a.example/", hostile).size());
  }

  @ParameterizedTest(name = "a link of {0} characters is followed: {1}")
  @CsvSource({"8192, true", "8193, false", "100000, false"})
  void linksOver8KiBAreNotFollowed(int length, boolean followed) {
    String prefix = "http://a.example/";
    String url = prefix + "p".repeat(length - prefix.length());
    List<String> kept = filtering(new JsonArray(), new JsonArray()).follow("http://a.example/", List.of(url));
    assertEquals(followed ? List.of(url) : List.of(), kept);
  }
}
