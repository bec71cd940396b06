package dev.trawl.parse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What was extracted from one body.
 *
 * @param data  the fields, pointers or text; null for {@code none}
 * @param links absolute outgoing links when {@code parse.links} is on, else null
 * @param text  the decoded body, kept only when the job asks for {@code output.body}
 */
public record ParsedPage(JsonObject data, JsonArray links, String text) {

  public static final ParsedPage EMPTY = new ParsedPage(null, null, null);
}
