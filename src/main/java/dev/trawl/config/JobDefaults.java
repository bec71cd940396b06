package dev.trawl.config;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What a job falls back to for {@code limits}, {@code timeouts} and {@code retry}: the node's
 * config sections of the same names. Their built-in values are those of {@link ConfigDefaults}.
 */
public record JobDefaults(Limits limits, Timeouts timeouts, RetryPolicy retry) {

  /** {@link ConfigDefaults}' sections: what a section falls back to where it is out of range. */
  private static final JobDefaults BUILT_IN = read(ConfigDefaults.json());

  /** The node's sections; {@code config} is valid, so they are read as they are. */
  public static JobDefaults of(TrawlConfig config) {
    return read(config.json());
  }

  /** The range checks of the three sections, which {@link ConfigLoader}'s type checks cannot make. */
  static List<String> problems(JsonObject configJson) {
    Problems problems = new Problems();
    Limits.parse(configJson.getJsonObject("limits"), BUILT_IN.limits, "limits", problems);
    Timeouts.parse(configJson.getJsonObject("timeouts"), BUILT_IN.timeouts, "timeouts", problems);
    RetryPolicy.parse(configJson.getJsonObject("retry"), BUILT_IN.retry, "retry", problems);
    return problems.list();
  }

  private static JobDefaults read(JsonObject json) {
    return new JobDefaults(Limits.fromJson(json.getJsonObject("limits")),
      Timeouts.fromJson(json.getJsonObject("timeouts")), RetryPolicy.fromJson(json.getJsonObject("retry")));
  }
}
