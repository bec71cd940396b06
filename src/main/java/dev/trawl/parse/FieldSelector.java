package dev.trawl.parse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One entry of {@code parse.fields}: {@code "h1"} (text of the first match),
 * {@code "img.cover@src"} (an attribute), {@code ["ul.tags li"]} (every match).
 */
public record FieldSelector(String name, String css, String attr, boolean all) {

  /** Reads the job's form: a string, or a one-element array of a string. */
  public static FieldSelector of(String name, Object spec) {
    boolean all = spec instanceof JsonArray;
    String text = all ? ((JsonArray) spec).getString(0) : (String) spec;
    int at = text.lastIndexOf('@');
    // An '@' inside brackets belongs to an attribute selector such as a[href*=@], not to us.
    if (at > 0 && text.indexOf(']', at) < 0) {
      return new FieldSelector(name, text.substring(0, at).trim(), text.substring(at + 1).trim(), all);
    }
    return new FieldSelector(name, text.trim(), null, all);
  }

  /** Back to the job's form. */
  public Object spec() {
    String text = attr == null ? css : css + "@" + attr;
    return all ? new JsonArray().add(text) : text;
  }

  public static JsonObject toJson(java.util.List<FieldSelector> fields) {
    JsonObject json = new JsonObject();
    fields.forEach(f -> json.put(f.name(), f.spec()));
    return json;
  }
}
