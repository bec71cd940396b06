package dev.trawl.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Collects every problem of a JSON document being validated, each prefixed with its path
 * ({@code requests[2].url: ...}), so a caller gets all of them at once.
 */
public final class Problems {

  private final List<String> list = new ArrayList<>();

  public void add(String path, String message) {
    list.add(path.isEmpty() ? message : path + ": " + message);
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public List<String> list() {
    return List.copyOf(list);
  }

  public JsonArray toJson() {
    return new JsonArray(new ArrayList<>(list));
  }

  /** Reports every key of {@code obj} that is not in {@code allowed}. */
  public void unknownKeys(JsonObject obj, String path, Set<String> allowed) {
    for (String key : obj.fieldNames()) {
      if (!allowed.contains(key)) {
        add(join(path, key), "unknown key");
      }
    }
  }

  /** The object at {@code key}, or null (with a problem when present but not an object). */
  public JsonObject object(JsonObject obj, String key, String path) {
    Object value = obj.getValue(key);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject nested) {
      return nested;
    }
    add(join(path, key), "must be an object");
    return null;
  }

  /** A whole number in [min, max], or {@code fallback} when absent (with a problem when bad). */
  public long number(JsonObject obj, String key, String path, long min, long max, long fallback) {
    Object value = obj == null ? null : obj.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      add(join(path, key), "must be a whole number");
      return fallback;
    }
    long n = ((Number) value).longValue();
    if (n < min || n > max) {
      add(join(path, key), "must be between " + min + " and " + max);
      return fallback;
    }
    return n;
  }

  public boolean bool(JsonObject obj, String key, String path, boolean fallback) {
    Object value = obj == null ? null : obj.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      add(join(path, key), "must be true or false");
      return fallback;
    }
    return b;
  }

  /** A string, or {@code fallback} when absent (with a problem when not a string). */
  public String string(JsonObject obj, String key, String path, String fallback) {
    Object value = obj == null ? null : obj.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      add(join(path, key), "must be a string");
      return fallback;
    }
    return s;
  }

  public static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
