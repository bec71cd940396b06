package dev.trawl.parse;

import dev.trawl.config.Problems;
import io.vertx.core.json.JsonObject;
import org.jsoup.helper.Regex;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What to extract from a body ({@code parse} in a job).
 *
 * @param as     how the body is parsed
 * @param fields what to take from HTML: CSS or XPath, text or attribute, first or every match, a regex
 * @param json   JSON Pointers or JSONPaths for JSON, by field name
 * @param links  whether the result lists the page's outgoing links
 */
public record ParseSpec(ParseAs as, List<FieldSelector> fields, Map<String, JsonQuery> json, boolean links) {

  public static final ParseSpec DEFAULT = new ParseSpec(ParseAs.AUTO, List.of(), Map.of(), false);
  private static final Set<String> KEYS = Set.of("as", "fields", "json", "links");

  public static ParseSpec parse(JsonObject obj, String path, Problems problems) {
    if (obj == null) {
      return DEFAULT;
    }
    problems.unknownKeys(obj, path, KEYS);
    return new ParseSpec(
      parseAs(problems.string(obj, "as", path, "auto"), Problems.join(path, "as"), problems),
      parseFields(problems.object(obj, "fields", path), Problems.join(path, "fields"), problems),
      parseJson(problems.object(obj, "json", path), Problems.join(path, "json"), problems),
      problems.bool(obj, "links", path, false));
  }

  private static ParseAs parseAs(String value, String path, Problems problems) {
    try {
      return ParseAs.of(value);
    } catch (IllegalArgumentException e) {
      problems.add(path, "must be one of auto, text, json, html, none");
      return ParseAs.AUTO;
    }
  }

  private static List<FieldSelector> parseFields(JsonObject obj, String path, Problems problems) {
    List<FieldSelector> fields = new ArrayList<>();
    if (obj == null) {
      return fields;
    }
    for (String name : obj.fieldNames()) {
      FieldSelector field = FieldSelector.parse(name, obj.getValue(name), Problems.join(path, name), problems);
      if (field != null) {
        fields.add(field);
      }
    }
    return List.copyOf(fields);
  }

  /**
   * Whether {@code css} is a selector jsoup can run, else a problem at {@code path}. Its regular
   * expressions ({@code :matches}, {@code :matchesOwn}, {@code :matchesWholeText},
   * {@code :matchesWholeOwnText}, {@code [attr~=regex]}) run on page text, on event loops for small
   * pages: jsoup compiles them with RE2/J (linear time) whenever RE2/J is on the classpath, and
   * refuses a pattern RE2 does not support. Should jsoup be told not to ({@code -Djsoup.useRe2j=false}),
   * such selectors are refused rather than run by java.util.regex, which backtracks.
   */
  static boolean validCss(String css, String path, Problems problems) {
    try {
      QueryParser.parse(css);
    } catch (Selector.SelectorParseException | IllegalArgumentException e) {
      problems.add(path, "invalid CSS selector: " + e.getMessage());
      return false;
    }
    if (!Regex.usingRe2j() && mayUseRegex(css)) {
      problems.add(path, "regular expressions in selectors need RE2/J, which jsoup is told not to use here");
      return false;
    }
    return true;
  }

  /** Whether a selector names a regular-expression evaluator; may say yes for a quoted one too. */
  private static boolean mayUseRegex(String css) {
    return css.toLowerCase(Locale.ROOT).contains(":matches") || css.contains("~=");
  }

  private static Map<String, JsonQuery> parseJson(JsonObject obj, String path, Problems problems) {
    Map<String, JsonQuery> queries = new LinkedHashMap<>();
    if (obj == null) {
      return queries;
    }
    for (String name : obj.fieldNames()) {
      JsonQuery query = JsonQuery.parse(obj.getValue(name), Problems.join(path, name), problems);
      if (query != null) {
        queries.put(name, query);
      }
    }
    return queries;
  }

  /** Whether a field is an XPath: the page is then also converted to a W3C DOM, which costs heap. */
  public boolean usesXPath() {
    return fields.stream().anyMatch(f -> f.xpath() != null);
  }

  /**
   * Whether the job's own expressions may cost more than the page's size says (an XPath, a JSONPath
   * with filters or deep scans): such pages are read on a worker, never on an event loop.
   */
  public boolean runsExpressions() {
    return usesXPath() || json.values().stream().anyMatch(q -> q.syntax() == JsonQuery.Syntax.JSONPATH);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("as", as.wire())
      .put("fields", FieldSelector.toJson(fields))
      .put("json", jsonToJson())
      .put("links", links);
  }

  /** Inverse of {@link #toJson()}; the input was validated when the job was accepted. */
  public static ParseSpec fromJson(JsonObject json) {
    List<FieldSelector> fields = new ArrayList<>();
    json.getJsonObject("fields").forEach(e -> fields.add(FieldSelector.of(e.getKey(), e.getValue())));
    Map<String, JsonQuery> queries = new LinkedHashMap<>();
    json.getJsonObject("json").forEach(e -> queries.put(e.getKey(), JsonQuery.of(e.getValue())));
    return new ParseSpec(ParseAs.of(json.getString("as")), List.copyOf(fields), queries, json.getBoolean("links"));
  }

  private JsonObject jsonToJson() {
    JsonObject queries = new JsonObject();
    json.forEach((name, query) -> queries.put(name, query.spec()));
    return queries;
  }
}
