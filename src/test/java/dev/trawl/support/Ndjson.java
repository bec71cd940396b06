package dev.trawl.support;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Splits an NDJSON byte stream into JSON objects as chunks arrive, across chunk boundaries. */
public final class Ndjson {

  private final StringBuilder partial = new StringBuilder();

  /** Feeds a chunk; returns the objects whose line it completed. */
  public List<JsonObject> feed(Buffer chunk) {
    partial.append(chunk.toString());
    List<JsonObject> lines = new ArrayList<>();
    int newline;
    while ((newline = partial.indexOf("\n")) >= 0) {
      String line = partial.substring(0, newline);
      partial.delete(0, newline + 1);
      if (!line.isBlank()) {
        lines.add(new JsonObject(line));
      }
    }
    return lines;
  }

  public static List<JsonObject> parse(Buffer whole) {
    return new Ndjson().feed(whole);
  }
}
