package dev.trawl.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Collects every problem of a JSON document being validated, each prefixed with its path
 * ({@code requests[2].url: ...}), so a caller gets all of them at once: the first
 * {@link #MAX_PROBLEMS}, then one "and N more". No problem echoes more than {@link #MAX_ECHO}
 * characters of any one input (a key in a path, or a message), so a 400 never mirrors a body back.
 */
public final class Problems {

  /** Problems listed; the rest are only counted. */
  public static final int MAX_PROBLEMS = 100;
  /** The most characters of one input that a problem shows; longer is cut, ending in an ellipsis. */
  public static final int MAX_ECHO = 200;

  private final List<String> list = new ArrayList<>();
  /** Characters of an input that {@link #echo} shows: {@link #MAX_ECHO}, or 0 when hiding input. */
  private final int echoLimit;
  private long more;

  public Problems() {
    this(MAX_ECHO);
  }

  private Problems(int echoLimit) {
    this.echoLimit = echoLimit;
  }

  /**
   * Problems that show nothing of the input, not even a key: for a {@code requestsFile} line,
   * whose content must not come back in a result (it could be any file's secret).
   */
  public static Problems hidingInput() {
    return new Problems(0);
  }

  /** Adds a problem; a message longer than {@link #MAX_ECHO} characters is cut. */
  public void add(String path, String message) {
    if (list.size() >= MAX_PROBLEMS) {
      more++;
      return;
    }
    String capped = cut(message, MAX_ECHO);
    list.add(path.isEmpty() ? capped : path + ": " + capped);
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  /** How many problems were added, listed or only counted: a validator compares it before and after a part. */
  public long count() {
    return list.size() + more;
  }

  /** The problems, at most {@link #MAX_PROBLEMS}, then "and N more" when there were more. */
  public List<String> list() {
    if (more == 0) {
      return List.copyOf(list);
    }
    List<String> all = new ArrayList<>(list);
    all.add("and " + more + " more");
    return List.copyOf(all);
  }

  public JsonArray toJson() {
    return new JsonArray(new ArrayList<>(list()));
  }

  /** Input as this collector may show it: cut at {@link #MAX_ECHO} characters, or only "…" when hiding input. */
  public String echo(String input) {
    return cut(input, echoLimit);
  }

  /** {@code path.key} for a key that came from the input, shown as {@link #echo} allows. */
  public String key(String path, String inputKey) {
    return join(path, echo(inputKey));
  }

  /** Reports every key of {@code obj} that is not in {@code allowed}. */
  public void unknownKeys(JsonObject obj, String path, Set<String> allowed) {
    for (String key : obj.fieldNames()) {
      if (!allowed.contains(key)) {
        add(key(path, key), "unknown key");
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

  /** {@code path.key}; a key longer than {@link #MAX_ECHO} characters is cut (it may be input). */
  public static String join(String path, String key) {
    String shown = cut(key, MAX_ECHO);
    return path.isEmpty() ? shown : path + "." + shown;
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }
}
