package dev.trawl.parse;

import dev.trawl.config.Problems;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a job turns into a crawl ({@code follow}): which links to take, how deep, where to.
 *
 * @param links    CSS selector of the elements whose {@code href} (or {@code src}) is followed
 * @param maxDepth the deepest page fetched; seeds are depth 0
 * @param sameHost only follow links to the host of the page they were found on
 * @param include  a link must match one of these (found anywhere in it), when any are given; RE2
 *                 syntax (as java.util.regex, without backreferences, lookaround or possessive
 *                 quantifiers), matched in linear time
 * @param exclude  a link must match none of these (RE2 syntax too)
 * @param maxPages a hard cap on the pages of the job, seeds included
 * @param sitemaps also seed the crawl from the seeds' sitemaps
 */
public record FollowSpec(String links, int maxDepth, boolean sameHost, List<String> include, List<String> exclude,
                         long maxPages, boolean sitemaps) {

  private static final Set<String> KEYS = Set.of("links", "maxDepth", "sameHost", "include", "exclude", "maxPages", "sitemaps");

  public static FollowSpec parse(JsonObject obj, String path, long maxPagesLimit, Problems problems) {
    if (obj == null) {
      return null;
    }
    problems.unknownKeys(obj, path, KEYS);
    String links = problems.string(obj, "links", path, "a[href]");
    ParseSpec.validCss(links, Problems.join(path, "links"), problems);
    return new FollowSpec(links,
      (int) problems.number(obj, "maxDepth", path, 0, 1000, 1),
      problems.bool(obj, "sameHost", path, true),
      patterns(obj.getValue("include"), Problems.join(path, "include"), problems),
      patterns(obj.getValue("exclude"), Problems.join(path, "exclude"), problems),
      problems.number(obj, "maxPages", path, 1, maxPagesLimit, Math.min(10_000, maxPagesLimit)),
      problems.bool(obj, "sitemaps", path, false));
  }

  private static List<String> patterns(Object raw, String path, Problems problems) {
    List<String> patterns = new ArrayList<>();
    if (raw == null) {
      return patterns;
    }
    if (!(raw instanceof JsonArray array)) {
      problems.add(path, "must be an array of regular expressions");
      return patterns;
    }
    for (Object item : array) {
      if (!(item instanceof String pattern)) {
        problems.add(path, "must be an array of regular expressions");
        continue;
      }
      try {
        Pattern.compile(pattern);
        patterns.add(pattern);
      } catch (PatternSyntaxException e) {
        problems.add(path, "not a regular expression RE2 accepts (no backreferences, lookaround or possessive"
          + " quantifiers): " + e.getMessage());
      }
    }
    return List.copyOf(patterns);
  }

  public JsonObject toJson() {
    return new JsonObject().put("links", links).put("maxDepth", maxDepth).put("sameHost", sameHost)
      .put("include", new JsonArray(new ArrayList<>(include))).put("exclude", new JsonArray(new ArrayList<>(exclude)))
      .put("maxPages", maxPages).put("sitemaps", sitemaps);
  }

  public static FollowSpec fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    List<String> include = new ArrayList<>();
    json.getJsonArray("include").forEach(p -> include.add((String) p));
    List<String> exclude = new ArrayList<>();
    json.getJsonArray("exclude").forEach(p -> exclude.add((String) p));
    return new FollowSpec(json.getString("links"), json.getInteger("maxDepth"), json.getBoolean("sameHost"),
      List.copyOf(include), List.copyOf(exclude), json.getLong("maxPages"), json.getBoolean("sitemaps"));
  }
}
