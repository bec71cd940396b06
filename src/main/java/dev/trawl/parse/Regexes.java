package dev.trawl.parse;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.trawl.config.Problems;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code regex} and {@code group} of a field: RE2/J, which matches in time linear in the text,
 * as every regular expression Trawl runs on what a server sent.
 */
final class Regexes {

  /** Compiled patterns, shared by every thread: an RE2/J {@link Pattern} is immutable. */
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private Regexes() {
  }

  /**
   * The group a field's {@code regex} gives: {@code group} when the job says, else 1 when the
   * pattern has a group, else 0. A pattern RE2 refuses, a group it does not have, or a group
   * without a regex is a problem, and 0 comes back.
   */
  static int group(String regex, JsonObject field, String path, Problems problems) {
    if (regex == null) {
      if (field.getValue("group") != null && field.getValue("regex") == null) {
        problems.add(Problems.join(path, "group"), "needs a regex");
      }
      return 0;
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      problems.add(Problems.join(path, "regex"), "not a regular expression RE2 accepts (no backreferences,"
        + " lookaround or possessive quantifiers): " + e.getMessage());
      return 0;
    }
    int groups = pattern.groupCount();
    return (int) problems.number(field, "group", path, 0, groups, Math.min(groups, 1));
  }

  /** The {@code group} of the first match of {@code regex} in {@code value}; null when none (or no value). */
  static String apply(String regex, int group, String value) {
    if (value == null) {
      return null;
    }
    Matcher matcher = pattern(regex).matcher(value);
    return matcher.find() ? matcher.group(group) : null;
  }

  private static Pattern pattern(String regex) {
    return Extractor.cached(PATTERNS, regex, Pattern::compile);
  }
}
