package dev.trawl.parse;

import dev.trawl.config.Problems;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * One entry of {@code parse.fields}. As a string: {@code "h1"} (text of the first match),
 * {@code "img.cover@src"} (an attribute), {@code ["ul.tags li"]} (every match). As an object:
 * {@code {"css": …}} or {@code {"xpath": …}}, with {@code attr}, {@code all}, and a {@code regex}
 * whose {@code group} is taken from the selected value.
 *
 * @param name  the key of the value in the result's {@code data}
 * @param css   a CSS selector, or null when {@code xpath} is given
 * @param xpath an XPath 1.0 expression selecting nodes, or null when {@code css} is given
 * @param attr  the attribute read from each selected element, or null for its text
 * @param all   every match as an array, rather than the first match
 * @param regex an RE2 regular expression applied to each value, or null
 * @param group the group of {@code regex} that is the value (0 for the whole match)
 */
public record FieldSelector(String name, String css, String xpath, String attr, boolean all, String regex, int group) {

  private static final Set<String> KEYS = Set.of("css", "xpath", "attr", "all", "regex", "group");

  /** The text or {@code attr} of the first (or every) element {@code css} selects. */
  public static FieldSelector css(String name, String css, String attr, boolean all) {
    return new FieldSelector(name, css, null, attr, all, null, 0);
  }

  /**
   * The job's form, checked: a string, a one-element array of a string, or an object. Every
   * problem is added at {@code path} (the field's own path); null when there was any.
   */
  static FieldSelector parse(String name, Object spec, String path, Problems problems) {
    if (spec instanceof JsonObject obj) {
      return parseObject(name, obj, path, problems);
    }
    boolean oneString = spec instanceof String;
    boolean oneElementArray = spec instanceof JsonArray a && a.size() == 1 && a.getValue(0) instanceof String;
    if (!oneString && !oneElementArray) {
      problems.add(path, "must be a CSS selector, a one-element array of one, or an object such as {\"xpath\": \"//h1\"}");
      return null;
    }
    FieldSelector field = of(name, spec);
    return ParseSpec.validCss(field.css(), path, problems) ? field : null;
  }

  private static FieldSelector parseObject(String name, JsonObject obj, String path, Problems problems) {
    long before = problems.count();
    problems.unknownKeys(obj, path, KEYS);
    if ((obj.getValue("css") == null) == (obj.getValue("xpath") == null)) {
      problems.add(path, "needs exactly one of css and xpath");
    }
    String css = problems.string(obj, "css", path, null);
    String xpath = problems.string(obj, "xpath", path, null);
    String attr = problems.string(obj, "attr", path, null);
    boolean all = problems.bool(obj, "all", path, false);
    String regex = problems.string(obj, "regex", path, null);
    checkSelection(css, xpath, attr, path, problems);
    int group = Regexes.group(regex, obj, path, problems);
    if (problems.count() > before) {
      return null;
    }
    return new FieldSelector(name, css == null ? null : css.trim(), xpath, attr == null ? null : attr.trim(), all,
      regex, group);
  }

  /** Whatever of {@code css}, {@code xpath} and {@code attr} is given must be one its engine can run. */
  private static void checkSelection(String css, String xpath, String attr, String path, Problems problems) {
    if (css != null) {
      ParseSpec.validCss(css, Problems.join(path, "css"), problems);
    }
    if (xpath != null) {
      XPaths.check(xpath, Problems.join(path, "xpath"), problems);
    }
    if (attr != null && attr.isBlank()) {
      problems.add(Problems.join(path, "attr"), "must be an attribute name");
    }
  }

  /** Reads the form {@link #spec()} writes, which was checked when the job was accepted. */
  public static FieldSelector of(String name, Object spec) {
    if (spec instanceof JsonObject obj) {
      return new FieldSelector(name, obj.getString("css"), obj.getString("xpath"), obj.getString("attr"),
        obj.getBoolean("all", false), obj.getString("regex"), obj.getInteger("group", 0));
    }
    boolean all = spec instanceof JsonArray;
    String text = all ? ((JsonArray) spec).getString(0) : (String) spec;
    int at = text.lastIndexOf('@');
    // An '@' inside brackets belongs to an attribute selector such as a[href*=@], not to us.
    if (at > 0 && text.indexOf(']', at) < 0) {
      return css(name, text.substring(0, at).trim(), text.substring(at + 1).trim(), all);
    }
    return css(name, text.trim(), null, all);
  }

  /**
   * Back to a job's form: the string forms wherever they say the same (so a job of today's forms
   * travels as it came), else the object form.
   */
  public Object spec() {
    if (xpath == null && regex == null) {
      String text = attr == null ? css : css + "@" + attr;
      Object form = all ? new JsonArray().add(text) : text;
      if (of(name, form).equals(this)) {
        return form;
      }
    }
    JsonObject form = new JsonObject();
    putIfPresent(form, "css", css);
    putIfPresent(form, "xpath", xpath);
    putIfPresent(form, "attr", attr);
    if (all) {
      form.put("all", true);
    }
    if (regex != null) {
      form.put("regex", regex).put("group", group);
    }
    return form;
  }

  private static void putIfPresent(JsonObject form, String key, String value) {
    if (value != null) {
      form.put(key, value);
    }
  }

  /**
   * Whether this field needs the whole document: an XPath runs on a tree, and every match means
   * reading to the end. Otherwise the first match is enough and parsing may stop there.
   */
  public boolean needsWholeDocument() {
    return all || xpath != null;
  }

  public static JsonObject toJson(List<FieldSelector> fields) {
    JsonObject json = new JsonObject();
    fields.forEach(f -> json.put(f.name(), f.spec()));
    return json;
  }
}
