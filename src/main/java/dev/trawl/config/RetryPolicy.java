package dev.trawl.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how a failed request is tried again ({@code retry} in config and job).
 *
 * @param attempts  total number of tries, the first one included
 * @param backoffMs base wait: {@code backoffMs × 2^(attempt-1)}, with jitter
 * @param on        retry classes: {@code timeout}, {@code connect}, {@code 429}, {@code 5xx}, or exact codes
 */
public record RetryPolicy(int attempts, long backoffMs, List<String> on) {

  private static final Set<String> KEYS = Set.of("attempts", "backoffMs", "on");
  private static final Set<String> CLASSES = Set.of("timeout", "connect", "429", "5xx");

  public static RetryPolicy parse(JsonObject obj, RetryPolicy fallback, String path, Problems problems) {
    if (obj == null) {
      return fallback;
    }
    problems.unknownKeys(obj, path, KEYS);
    List<String> on = fallback.on();
    Object raw = obj.getValue("on");
    if (raw != null) {
      on = parseClasses(raw, Problems.join(path, "on"), problems);
    }
    return new RetryPolicy(
      (int) problems.number(obj, "attempts", path, 1, 20, fallback.attempts()),
      problems.number(obj, "backoffMs", path, 0, 600_000, fallback.backoffMs()),
      on);
  }

  private static List<String> parseClasses(Object raw, String path, Problems problems) {
    List<String> on = new ArrayList<>();
    if (!(raw instanceof JsonArray array)) {
      problems.add(path, "must be an array");
      return on;
    }
    for (Object item : array) {
      String value = String.valueOf(item);
      if (CLASSES.contains(value) || value.matches("[1-5][0-9][0-9]")) {
        on.add(value);
      } else {
        problems.add(path, "unknown retry class " + value + " (timeout, connect, 429, 5xx or a status code)");
      }
    }
    return List.copyOf(on);
  }

  /** Whether a failure of this kind and HTTP status (0 when none) is worth another try. */
  public boolean retries(String errorKind, int status) {
    if (status > 0) {
      return on.contains(Integer.toString(status)) || (status >= 500 && on.contains("5xx"));
    }
    return on.contains(errorKind);
  }

  /** Wait before try number {@code nextAttempt} (2 for the first retry), with ±25% jitter. */
  public long backoffBefore(int nextAttempt) {
    long base = backoffMs * (1L << Math.min(nextAttempt - 2, 20));
    double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
    return Math.round(base * jitter);
  }

  public JsonObject toJson() {
    return new JsonObject().put("attempts", attempts).put("backoffMs", backoffMs).put("on", new JsonArray(new ArrayList<>(on)));
  }

  /** Reads a complete section in the form of {@link #toJson()}, without checks (see {@link #parse}). */
  public static RetryPolicy fromJson(JsonObject json) {
    List<String> on = json.getJsonArray("on").stream().map(String::valueOf).toList();
    return new RetryPolicy(json.getInteger("attempts"), json.getLong("backoffMs"), on);
  }
}
