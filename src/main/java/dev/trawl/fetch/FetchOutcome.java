package dev.trawl.fetch;

import dev.trawl.error.ErrorKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * How one try of a request ended, sent back to the coordinator. Every try ends as exactly one
 * outcome; the coordinator turns the last one into the request's result.
 *
 * @param errorKind    SPEC error kind, null when ok
 * @param setCookies   {@code name=value} pairs the responses set, for the job's cookie jar
 * @param retryAfterMs the server's {@code Retry-After}, in ms, or -1
 * @param discovered   for a crawl: the links to follow (normalised, filtered), or a sitemap's pages
 * @param sitemaps     for a sitemap index: the sitemaps it lists
 */
public record FetchOutcome(String jobId, long index, long dispatchId, boolean ok, int status, String finalUrl,
                           String contentType, long bytes, String startedAt, long elapsedMs, String node,
                           JsonObject data, JsonArray links, String body, ErrorKind errorKind, String errorMessage,
                           List<String> setCookies, long retryAfterMs, List<String> discovered, List<String> sitemaps) {

  /** A try that never reached the network, or whose answer was lost. */
  public static FetchOutcome failed(FetchRequest request, String node, String startedAt, long elapsedMs,
                                    ErrorKind kind, String message) {
    return new FetchOutcome(request.jobId(), request.index(), request.dispatchId(), false, 0, null, null, 0,
      startedAt, elapsedMs, node, null, null, null, kind, message, List.of(), -1, List.of(), List.of());
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("jobId", jobId).put("index", index).put("dispatchId", dispatchId).put("ok", ok)
      .put("status", status).put("finalUrl", finalUrl).put("contentType", contentType).put("bytes", bytes)
      .put("startedAt", startedAt).put("elapsedMs", elapsedMs).put("node", node)
      .put("data", data).put("links", links).put("body", body)
      .put("errorKind", errorKind == null ? null : errorKind.wire()).put("errorMessage", errorMessage)
      .put("setCookies", new JsonArray(new ArrayList<>(setCookies))).put("retryAfterMs", retryAfterMs)
      .put("discovered", new JsonArray(new ArrayList<>(discovered)))
      .put("sitemaps", new JsonArray(new ArrayList<>(sitemaps)));
  }

  public static FetchOutcome fromJson(JsonObject json) {
    List<String> cookies = strings(json.getJsonArray("setCookies"));
    return new FetchOutcome(json.getString("jobId"), json.getLong("index"), json.getLong("dispatchId"),
      json.getBoolean("ok"), json.getInteger("status"), json.getString("finalUrl"), json.getString("contentType"),
      json.getLong("bytes"), json.getString("startedAt"), json.getLong("elapsedMs"), json.getString("node"),
      json.getJsonObject("data"), json.getJsonArray("links"), json.getString("body"),
      json.getString("errorKind") == null ? null : ErrorKind.ofWire(json.getString("errorKind")), json.getString("errorMessage"), cookies, json.getLong("retryAfterMs"),
      strings(json.getJsonArray("discovered")), strings(json.getJsonArray("sitemaps")));
  }

  private static List<String> strings(JsonArray array) {
    List<String> list = new ArrayList<>(array.size());
    array.forEach(item -> list.add((String) item));
    return List.copyOf(list);
  }
}
