package dev.trawl.config;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What a job falls back to for {@code limits}, {@code timeouts} and {@code retry}: the node's
 * config sections of the same names.
 */
public record JobDefaults(Limits limits, Timeouts timeouts, RetryPolicy retry) {

  private static final JobDefaults BUILT_IN = new JobDefaults(
    new Limits(64, 0, 0), new Timeouts(5000, 10_000, 30_000),
    new RetryPolicy(3, 250, List.of("timeout", "connect", "429", "5xx")));

  public static JobDefaults of(TrawlConfig config) {
    return parse(config.json(), new Problems());
  }

  static List<String> problems(JsonObject configJson) {
    Problems problems = new Problems();
    parse(configJson, problems);
    return problems.list();
  }

  private static JobDefaults parse(JsonObject json, Problems problems) {
    return new JobDefaults(
      Limits.parse(json.getJsonObject("limits"), BUILT_IN.limits, "limits", problems),
      Timeouts.parse(json.getJsonObject("timeouts"), BUILT_IN.timeouts, "timeouts", problems),
      RetryPolicy.parse(json.getJsonObject("retry"), BUILT_IN.retry, "retry", problems));
  }
}
