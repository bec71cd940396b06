package dev.trawl.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Small builders and readers for jobs and their output files. */
public final class Jobs {

  private Jobs() {
  }

  public static JsonObject job(String name, String... urls) {
    return new JsonObject().put("name", name).put("requests", new JsonArray(List.of((Object[]) urls)));
  }

  /** The lines of a JSONL file as JSON objects. */
  public static List<JsonObject> readResults(String path) {
    try {
      return Files.readAllLines(Path.of(path)).stream().filter(l -> !l.isBlank()).map(JsonObject::new)
        .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The result of the request at {@code index}; fails the test when there is none. */
  public static JsonObject result(List<JsonObject> results, long index) {
    return results.stream().filter(r -> r.getLong("index") == index).findFirst()
      .orElseThrow(() -> new AssertionError("no result for index " + index));
  }

  /** {@code ok}, or the error kind of the result at {@code index}. */
  public static String kind(List<JsonObject> results, long index) {
    JsonObject error = result(results, index).getJsonObject("error");
    return error == null ? "ok" : error.getString("kind");
  }

  public static JsonObject readSummary(String resultsPath) {
    try {
      return new JsonObject(Files.readString(Path.of(resultsPath.replace(".jsonl", ".summary.json"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
