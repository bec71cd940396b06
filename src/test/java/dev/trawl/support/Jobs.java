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

  public static JsonObject readSummary(String resultsPath) {
    try {
      return new JsonObject(Files.readString(Path.of(resultsPath.replace(".jsonl", ".summary.json"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
