package dev.trawl.parse;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidJsonException;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.AbstractJsonProvider;
import com.jayway.jsonpath.spi.mapper.JsonSmartMappingProvider;
import dev.trawl.config.Problems;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSONPath ({@code parse.json} {@code {"jsonpath": …}}) through Jayway JsonPath, run on the body
 * Vert.x already decoded: its nested objects are {@link Map}s and its arrays {@link List}s, which
 * JsonPath walks as they are, so no second JSON library decodes anything.
 */
final class JsonPaths {

  private static final Configuration CONFIGURATION = Configuration.builder()
    .jsonProvider(new VertxJsonProvider())
    .mappingProvider(new JsonSmartMappingProvider()) // filters compare values through it
    .options(Option.SUPPRESS_EXCEPTIONS)              // a path that finds nothing gives null, or []
    .build();
  /** Compiled paths, shared by every thread: a compiled JsonPath is only ever read. */
  private static final Map<String, JsonPath> COMPILED = new ConcurrentHashMap<>();

  private JsonPaths() {
  }

  /**
   * Whether {@code expression} is a JSONPath Trawl runs, else a problem at {@code path}. Filters
   * with {@code =~} are refused: JsonPath matches them with java.util.regex, which backtracks.
   */
  static boolean check(String expression, String path, Problems problems) {
    if (!expression.startsWith("$")) {
      problems.add(path, "must start with $, the document's root");
      return false;
    }
    if (expression.contains("=~")) {
      problems.add(path, "regular-expression filters (=~) are not supported: JsonPath runs them with"
        + " java.util.regex, which backtracks");
      return false;
    }
    try {
      JsonPath.compile(expression);
      return true;
    } catch (InvalidPathException | IllegalArgumentException e) {
      problems.add(path, "invalid JSONPath: " + e.getMessage());
      return false;
    }
  }

  /**
   * What {@code expression} finds in {@code root} (as {@link Json#decodeValue} gave it): one value
   * for a definite path (null when missing), an array for any other (empty when nothing matches).
   */
  static Object read(String expression, Object root) {
    if (root == null) {
      return null;
    }
    JsonPath path = Extractor.cached(COMPILED, expression, JsonPath::compile);
    return wrap(path.read(unwrap(root), CONFIGURATION));
  }

  private static Object unwrap(Object value) {
    if (value instanceof JsonObject obj) {
      return obj.getMap();
    }
    return value instanceof JsonArray array ? array.getList() : value;
  }

  /** Vert.x's types for what JsonPath found, so a result line holds them as it holds every value. */
  @SuppressWarnings("unchecked")
  private static Object wrap(Object value) {
    if (value instanceof Map<?, ?> map) {
      return new JsonObject((Map<String, Object>) map);
    }
    return value instanceof List<?> list ? new JsonArray((List<Object>) list) : value;
  }

  /**
   * JsonPath's view of Vert.x JSON. {@link AbstractJsonProvider} already reads {@link Map}s and
   * {@link List}s; this adds what it leaves to a JSON library (parsing, writing, new containers).
   */
  static final class VertxJsonProvider extends AbstractJsonProvider {

    @Override
    public Object parse(String json) {
      try {
        return unwrap(Json.decodeValue(json));
      } catch (DecodeException e) {
        throw new InvalidJsonException(e, json);
      }
    }

    @Override
    public Object parse(InputStream jsonStream, String charset) {
      try {
        return parse(new String(jsonStream.readAllBytes(), charset));
      } catch (IOException e) {
        throw new InvalidJsonException(e);
      }
    }

    @Override
    public String toJson(Object obj) {
      return Json.encode(obj);
    }

    @Override
    public Object createArray() {
      return new ArrayList<>();
    }

    @Override
    public Object createMap() {
      return new LinkedHashMap<>();
    }
  }
}
