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
 * @param maxBackoffMs the longest wait before a retry, jitter included ({@code retry.maxBackoffMs}, 60 s)
 */
public record RetryPolicy(int attempts, long backoffMs, List<String> on, long maxBackoffMs) {

  /** The default of {@code retry.maxBackoffMs}. */
  public static final long DEFAULT_MAX_BACKOFF_MS = 60_000;
  private static final Set<String> KEYS = Set.of("attempts", "backoffMs", "on", "maxBackoffMs");

  /** A policy whose waits are capped at {@link #DEFAULT_MAX_BACKOFF_MS}. */
  public RetryPolicy(int attempts, long backoffMs, List<String> on) {
    this(attempts, backoffMs, on, DEFAULT_MAX_BACKOFF_MS);
  }
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
      on,
      problems.number(obj, "maxBackoffMs", path, 0, 3_600_000, fallback.maxBackoffMs()));
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
    // a proxy that cannot be reached is retried as a server that cannot be: the next try may take another
    return on.contains(errorKind) || ("proxy".equals(errorKind) && on.contains("connect"));
  }

  /**
   * Wait before try number {@code nextAttempt} (2 for the first retry), with ±25% jitter, never
   * over {@code maxBackoffMs}.
   */
  public long backoffBefore(int nextAttempt) {
    long base = backoffMs * (1L << Math.min(Math.max(nextAttempt - 2, 0), 20));
    double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
    return Math.min(Math.round(base * jitter), maxBackoffMs);
  }

  public JsonObject toJson() {
    return new JsonObject().put("attempts", attempts).put("backoffMs", backoffMs).put("on", new JsonArray(new ArrayList<>(on)))
      .put("maxBackoffMs", maxBackoffMs);
  }

  /** Reads a complete section in the form of {@link #toJson()}, without checks (see {@link #parse}). */
  public static RetryPolicy fromJson(JsonObject json) {
    List<String> on = json.getJsonArray("on").stream().map(String::valueOf).toList();
    return new RetryPolicy(json.getInteger("attempts"), json.getLong("backoffMs"), on,
      json.getLong("maxBackoffMs", DEFAULT_MAX_BACKOFF_MS));
  }
}
