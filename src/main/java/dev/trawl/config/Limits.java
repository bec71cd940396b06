package dev.trawl.config;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Concurrency limits of a job ({@code limits} in a job and in the node config).
 *
 * @param concurrency    requests of the job in flight at once
 * @param perHost        requests of the job in flight to one host at once (0: no limit)
 * @param perHostDelayMs minimum gap between request starts to one host
 */
public record Limits(int concurrency, int perHost, long perHostDelayMs) {

  private static final Set<String> KEYS = Set.of("concurrency", "perHost", "perHostDelayMs");

  public static Limits parse(JsonObject obj, Limits fallback, String path, Problems problems) {
    if (obj == null) {
      return fallback;
    }
    problems.unknownKeys(obj, path, KEYS);
    return new Limits(
      (int) problems.number(obj, "concurrency", path, 1, 100_000, fallback.concurrency()),
      (int) problems.number(obj, "perHost", path, 0, 100_000, fallback.perHost()),
      problems.number(obj, "perHostDelayMs", path, 0, 3_600_000, fallback.perHostDelayMs()));
  }

  public JsonObject toJson() {
    return new JsonObject().put("concurrency", concurrency).put("perHost", perHost)
      .put("perHostDelayMs", perHostDelayMs);
  }

  /** Reads a complete section in the form of {@link #toJson()}, without checks (see {@link #parse}). */
  public static Limits fromJson(JsonObject json) {
    return new Limits(json.getInteger("concurrency"), json.getInteger("perHost"), json.getLong("perHostDelayMs"));
  }
}
