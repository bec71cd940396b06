package dev.trawl.config;

import dev.trawl.error.Messages;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the effective config: defaults, then the config file, then {@code TRAWL_*} environment
 * variables ({@code http.port} is {@code TRAWL_HTTP_PORT}, {@code fetch.maxInFlight} is
 * {@code TRAWL_FETCH_MAX_IN_FLIGHT}). No Vert.x here: it runs before Vert.x starts.
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  /** Reads a {@code -conf} argument the way the launcher does: inline JSON or a file path. */
  public static JsonObject readArgument(String confArg) {
    String text = confArg.trim();
    if (text.startsWith("{")) {
      return parse(text, "inline config");
    }
    Path path = Path.of(confArg);
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("config file " + confArg + " does not exist");
    }
    try {
      return parse(Files.readString(path), "config file " + confArg);
    } catch (IOException e) {
      throw new ConfigException("config file " + confArg + " cannot be read: " + e.getMessage());
    }
  }

  private static JsonObject parse(String text, String what) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException(what + " is not a JSON object: " + Messages.firstLine(e.getMessage()));
    }
  }

  /**
   * The effective config of an in-process node without the HTTP API ({@code run}, {@code demo},
   * {@code kit}): the API is switched off before validation, so its rules (a token beyond
   * loopback) do not refuse a node that opens no port.
   */
  public static TrawlConfig effectiveWithoutApi(JsonObject given, Map<String, String> env) {
    JsonObject noApi = given.copy();
    JsonObject http = noApi.getValue("http") instanceof JsonObject h ? h : new JsonObject();
    noApi.put("http", http.put("enabled", false));
    return effective(noApi, env);
  }

  /** Defaults &lt; {@code given} &lt; environment; throws with every problem on one line. */
  public static TrawlConfig effective(JsonObject given, Map<String, String> env) {
    JsonObject merged = ConfigDefaults.json();
    List<String> problems = new ArrayList<>();
    mergeInto(merged, given == null ? new JsonObject() : given, "", problems);
    applyEnv(merged, "", env, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException("invalid config: " + String.join("; ", problems));
    }
    TrawlConfig config = new TrawlConfig(merged);
    problems.addAll(config.problems());
    if (!problems.isEmpty()) {
      throw new ConfigException("invalid config: " + String.join("; ", problems));
    }
    return config;
  }

  /** Objects whose keys are names, not config keys: taken whole. */
  private static final java.util.Set<String> FREE_KEYS = java.util.Set.of("politeness.hosts");

  private static void mergeInto(JsonObject target, JsonObject given, String prefix, List<String> problems) {
    for (String key : given.fieldNames()) {
      String path = prefix + key;
      Object value = given.getValue(key);
      if (!target.containsKey(key)) {
        problems.add("unknown key " + path);
      } else if (FREE_KEYS.contains(path) && value instanceof JsonObject free) {
        target.put(key, free.copy()); // its keys are names (hosts), checked by TrawlConfig
      } else if (target.getValue(key) instanceof JsonObject section) {
        if (value instanceof JsonObject nested) {
          mergeInto(section, nested, path + ".", problems);
        } else {
          problems.add(path + " must be an object");
        }
      } else if (sameType(target.getValue(key), value)) {
        target.put(key, value);
      } else {
        problems.add(path + " must be " + typeName(target.getValue(key)));
      }
    }
  }

  private static void applyEnv(JsonObject target, String prefix, Map<String, String> env, List<String> problems) {
    for (String key : target.fieldNames()) {
      String path = prefix + key;
      Object current = target.getValue(key);
      if (current instanceof JsonObject section) {
        applyEnv(section, path + ".", env, problems);
        continue;
      }
      String name = envName(path);
      String raw = env.get(name);
      if (raw == null) {
        continue;
      }
      try {
        target.put(key, convert(current, raw));
      } catch (RuntimeException e) {
        problems.add(name + " must be " + typeName(current));
      }
    }
  }

  /** {@code fetch.maxInFlight} → {@code TRAWL_FETCH_MAX_IN_FLIGHT}. */
  public static String envName(String path) {
    String snake = path.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_');
    return "TRAWL_" + snake.toUpperCase(java.util.Locale.ROOT);
  }

  private static Object convert(Object current, String raw) {
    if (current instanceof Boolean) {
      if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(raw);
      }
      return Boolean.parseBoolean(raw);
    }
    if (current instanceof Number) {
      return Long.parseLong(raw.trim());
    }
    if (current instanceof JsonArray) {
      return new JsonArray(raw);
    }
    return raw;
  }

  private static boolean sameType(Object expected, Object value) {
    if (expected instanceof Number) {
      return value instanceof Integer || value instanceof Long;
    }
    return expected != null && value != null && expected.getClass() == value.getClass();
  }

  private static String typeName(Object value) {
    if (value instanceof Number) {
      return "a whole number";
    }
    if (value instanceof Boolean) {
      return "true or false";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    return "a string";
  }

}
