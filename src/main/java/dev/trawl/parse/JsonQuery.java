package dev.trawl.parse;

import dev.trawl.config.Problems;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;

import java.util.Set;

/**
 * One entry of {@code parse.json}: a JSON Pointer ({@code "/items/0/name"}, one value) or a
 * JSONPath ({@code {"jsonpath": "$.items[*].id"}}, one value for a definite path, else an array).
 */
public record JsonQuery(Syntax syntax, String expression) {

  /** The language of {@link #expression()}. */
  public enum Syntax { POINTER, JSONPATH }

  private static final Set<String> KEYS = Set.of("jsonpath");

  public static JsonQuery pointer(String pointer) {
    return new JsonQuery(Syntax.POINTER, pointer);
  }

  public static JsonQuery jsonPath(String path) {
    return new JsonQuery(Syntax.JSONPATH, path);
  }

  /** The job's form, checked: a JSON Pointer, or {@code {"jsonpath": …}}; null after a problem at {@code path}. */
  static JsonQuery parse(Object spec, String path, Problems problems) {
    if (spec instanceof String pointer && validPointer(pointer)) {
      return pointer(pointer);
    }
    if (!(spec instanceof JsonObject obj)) {
      problems.add(path, "must be a JSON Pointer such as /items/0/name, or {\"jsonpath\": \"$.items[*].name\"}");
      return null;
    }
    long before = problems.count();
    problems.unknownKeys(obj, path, KEYS);
    String expression = problems.string(obj, "jsonpath", path, null);
    if (expression == null && obj.getValue("jsonpath") == null) {
      problems.add(Problems.join(path, "jsonpath"), "is required");
    }
    if (expression != null) {
      JsonPaths.check(expression, Problems.join(path, "jsonpath"), problems);
    }
    return problems.count() > before ? null : jsonPath(expression);
  }

  private static boolean validPointer(String text) {
    try {
      JsonPointer.from(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Reads the form {@link #spec()} writes, which was checked when the job was accepted. */
  public static JsonQuery of(Object spec) {
    return spec instanceof JsonObject obj ? jsonPath(obj.getString("jsonpath")) : pointer((String) spec);
  }

  /** Back to the job's form. */
  public Object spec() {
    return switch (syntax) {
      case POINTER -> expression;
      case JSONPATH -> new JsonObject().put("jsonpath", expression);
    };
  }
}
