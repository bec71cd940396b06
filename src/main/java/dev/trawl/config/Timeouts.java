package dev.trawl.config;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Timeouts of one exchange ({@code timeouts} in config, job and request).
 *
 * @param connectMs bound on getting a connection (TCP connect included)
 * @param idleMs    bound on silence between bytes
 * @param totalMs   deadline for the whole exchange; passing it aborts the exchange
 */
public record Timeouts(long connectMs, long idleMs, long totalMs) {

  private static final Set<String> KEYS = Set.of("connectMs", "idleMs", "totalMs");
  private static final long MAX = 3_600_000;

  public static Timeouts parse(JsonObject obj, Timeouts fallback, String path, Problems problems) {
    if (obj == null) {
      return fallback;
    }
    problems.unknownKeys(obj, path, KEYS);
    return new Timeouts(
      problems.number(obj, "connectMs", path, 1, MAX, fallback.connectMs()),
      problems.number(obj, "idleMs", path, 1, MAX, fallback.idleMs()),
      problems.number(obj, "totalMs", path, 1, MAX, fallback.totalMs()));
  }

  public JsonObject toJson() {
    return new JsonObject().put("connectMs", connectMs).put("idleMs", idleMs).put("totalMs", totalMs);
  }

  public static Timeouts fromJson(JsonObject json) {
    return new Timeouts(json.getLong("connectMs"), json.getLong("idleMs"), json.getLong("totalMs"));
  }
}
