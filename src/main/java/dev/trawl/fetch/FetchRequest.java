package dev.trawl.fetch;

import dev.trawl.config.Timeouts;
import dev.trawl.parse.FollowSpec;
import dev.trawl.parse.ParseSpec;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One try of one request, sent by the coordinator on {@code trawl.fetch}.
 *
 * @param jobId      the job it belongs to
 * @param index      its position in the job's input
 * @param dispatchId unique per try, so a late answer to an earlier try is recognised
 * @param url        absolute http(s) URL
 * @param method     HTTP method
 * @param headers    job headers, the request's own, and the job's cookies, merged
 * @param body       request body (JSON already encoded), or null
 * @param timeouts   connect, idle and total bounds of the exchange
 * @param parse      what to extract
 * @param keepBody   whether the result carries the body ({@code output.body})
 * @param purpose    what the body is for: a page of the job, or a robots.txt or sitemap of a crawl
 * @param follow     for a crawl's pages, which links to report back; otherwise null
 * @param guard      the coordinator's private-network guard and body and redirect limits, applied by
 *                   whichever node fetches the try
 * @param proxy      the proxy the try goes through (the coordinator's choice), or null
 */
public record FetchRequest(String jobId, long index, long dispatchId, String url, String method,
                           Map<String, String> headers, String body, Timeouts timeouts, ParseSpec parse,
                           boolean keepBody, Purpose purpose, FollowSpec follow, FetchGuard guard, Proxy proxy) {

  /** What a fetched body is for. */
  public enum Purpose { PAGE, ROBOTS, SITEMAP }

  public FetchRequest {
    Objects.requireNonNull(guard, "guard"); // a try without its coordinator's guard is never fetched
  }

  /** A try that goes straight to the server. */
  public FetchRequest(String jobId, long index, long dispatchId, String url, String method,
                      Map<String, String> headers, String body, Timeouts timeouts, ParseSpec parse,
                      boolean keepBody, Purpose purpose, FollowSpec follow, FetchGuard guard) {
    this(jobId, index, dispatchId, url, method, headers, body, timeouts, parse, keepBody, purpose, follow, guard, null);
  }

  /** Whether the request asks the server for the page only if it changed (a job's {@code since}). */
  public boolean conditional() {
    return headers.keySet().stream().anyMatch(name -> name.equalsIgnoreCase("If-None-Match")
      || name.equalsIgnoreCase("If-Modified-Since"));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("jobId", jobId).put("index", index).put("dispatchId", dispatchId)
      .put("url", url).put("method", method)
      .put("headers", new JsonObject(new LinkedHashMap<>(headers)))
      .put("body", body)
      .put("timeouts", timeouts.toJson())
      .put("parse", parse.toJson())
      .put("keepBody", keepBody)
      .put("purpose", purpose.name())
      .put("follow", follow == null ? null : follow.toJson())
      .put("guard", guard.toJson())
      .put("proxy", proxy == null ? null : proxy.toJson());
  }

  public static FetchRequest fromJson(JsonObject json) {
    Map<String, String> headers = new LinkedHashMap<>();
    json.getJsonObject("headers").forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
    return new FetchRequest(json.getString("jobId"), json.getLong("index"), json.getLong("dispatchId"),
      json.getString("url"), json.getString("method"), headers, json.getString("body"),
      Timeouts.fromJson(json.getJsonObject("timeouts")), ParseSpec.fromJson(json.getJsonObject("parse")),
      json.getBoolean("keepBody"), Purpose.valueOf(json.getString("purpose")),
      FollowSpec.fromJson(json.getJsonObject("follow")), FetchGuard.fromJson(json.getJsonObject("guard")),
      Proxy.fromJson(json.getJsonObject("proxy")));
  }
}
