package dev.trawl.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code politeness} section: limits that belong to a host and hold over every job (and, in a
 * cluster, every node). A job's own {@code limits} may be stricter, never looser.
 *
 * @param perHost        {@code politeness.perHost}: tries in flight to one host at once
 * @param perHostDelayMs {@code politeness.perHostDelayMs}: least time between two starts at one host
 * @param adaptive       {@code politeness.adaptive}: repeated 429/503, timeouts or refused connections
 *                       halve a host's concurrency and grow its delay; successes restore them
 * @param maxDelayMs     {@code politeness.maxDelayMs}: the cap on any wait this section imposes
 * @param hosts          {@code politeness.hosts}: per-host overrides, by {@code host:port}
 */
public record PolitenessSettings(int perHost, long perHostDelayMs, boolean adaptive, long maxDelayMs,
                                 Map<String, HostOverride> hosts) {

  private static final Set<String> HOST_KEYS = Set.of("perHost", "delayMs", "perHostDelayMs", "paused");

  /**
   * What is set for one host, in config or at run time ({@code PUT /hosts/{host}}); null fields
   * are not set.
   */
  public record HostOverride(Integer perHost, Long delayMs, Boolean paused) {

    public static HostOverride of(JsonObject json) {
      Long delay = json.getLong("delayMs", json.getLong("perHostDelayMs"));
      return new HostOverride(json.getInteger("perHost"), delay, json.getBoolean("paused"));
    }

    /** This override with {@code other}'s fields laid over it. */
    public HostOverride with(HostOverride other) {
      return new HostOverride(other.perHost != null ? other.perHost : perHost,
        other.delayMs != null ? other.delayMs : delayMs, other.paused != null ? other.paused : paused);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject();
      if (perHost != null) {
        json.put("perHost", perHost);
      }
      if (delayMs != null) {
        json.put("delayMs", delayMs);
      }
      if (paused != null) {
        json.put("paused", paused);
      }
      return json;
    }
  }

  public static PolitenessSettings from(TrawlConfig cfg) {
    JsonObject p = cfg.politeness();
    Map<String, HostOverride> hosts = new TreeMap<>();
    p.getJsonObject("hosts").forEach(e -> hosts.put(e.getKey(), HostOverride.of((JsonObject) e.getValue())));
    return new PolitenessSettings(p.getInteger("perHost"), p.getLong("perHostDelayMs"), p.getBoolean("adaptive"),
      p.getLong("maxDelayMs"), Map.copyOf(hosts));
  }

  /** Every problem of an override as given (a PUT body or a config entry), with {@code where} it is. */
  public static List<String> problemsOfOverride(Object value, String where) {
    List<String> problems = new ArrayList<>();
    if (!(value instanceof JsonObject json)) {
      problems.add(where + " must be an object");
      return problems;
    }
    for (String key : json.fieldNames()) {
      if (!HOST_KEYS.contains(key)) {
        problems.add("unknown key " + where + "." + key);
      }
    }
    wholeAtLeast(json.getValue("perHost"), 1, 100_000, where + ".perHost", problems);
    wholeAtLeast(json.getValue("delayMs"), 0, 3_600_000, where + ".delayMs", problems);
    wholeAtLeast(json.getValue("perHostDelayMs"), 0, 3_600_000, where + ".perHostDelayMs", problems);
    Object paused = json.getValue("paused");
    if (paused != null && !(paused instanceof Boolean)) {
      problems.add(where + ".paused must be true or false");
    }
    return problems;
  }

  static List<String> problemsOf(JsonObject hosts) {
    List<String> problems = new ArrayList<>();
    hosts.forEach(e -> problems.addAll(problemsOfOverride(e.getValue(), "politeness.hosts." + e.getKey())));
    return problems;
  }

  private static void wholeAtLeast(Object value, long min, long max, String where, List<String> problems) {
    if (value == null) {
      return;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < min
      || n.longValue() > max) {
      problems.add(where + " must be a whole number from " + min + " to " + max);
    }
  }
}
