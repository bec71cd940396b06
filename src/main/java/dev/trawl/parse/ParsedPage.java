package dev.trawl.parse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What was extracted from one body.
 *
 * @param data  the fields, pointers or text; null for {@code none}
 * @param links absolute outgoing links when {@code parse.links} is on, else null
 * @param text  the decoded body, kept only when the job asks for {@code output.body}
 * @param found absolute targets of the elements {@code follow.links} selects (not yet normalised
 *              or filtered), empty when the job does not crawl
 */
public record ParsedPage(JsonObject data, JsonArray links, String text, List<String> found) {

  public static final ParsedPage EMPTY = new ParsedPage(null, null, null, List.of());

  /** The same page with {@code found} replaced (by the links worth following). */
  public ParsedPage withFound(List<String> links) {
    return new ParsedPage(data, this.links, text, links);
  }
}
