package dev.trawl.fetch;

import dev.trawl.error.ErrorKind;
import dev.trawl.error.ErrorKinds;
import dev.trawl.parse.ParsedPage;
import dev.trawl.web.SetCookie;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * How one try of a request ended, sent back to the coordinator. Every try ends as exactly one
 * outcome; the coordinator turns the last one into the request's result.
 *
 * @param errorKind    SPEC error kind, null when ok
 * @param setCookies   the {@code Set-Cookie} headers the responses carried, each with the URL that set
 *                     it, for the job's cookie jar (on the wire: {@code [{"url": …, "header": …}]})
 * @param retryAfterMs the server's {@code Retry-After}, in ms, or -1
 * @param discovered   for a crawl: the links to follow (normalised, filtered), or a sitemap's pages
 * @param sitemaps     for a sitemap index: the sitemaps it lists
 * @param wire         what the answer said of itself and how it came, or {@link Wire#NONE}
 */
public record FetchOutcome(String jobId, long index, long dispatchId, boolean ok, int status, String finalUrl,
                           String contentType, long bytes, String startedAt, long elapsedMs, String node,
                           JsonObject data, JsonArray links, String body, ErrorKind errorKind, String errorMessage,
                           List<SetCookie> setCookies, long retryAfterMs, List<String> discovered, List<String> sitemaps,
                           Wire wire) {

  /**
   * How an answer came: its HTTP version ({@code HTTP/1.1}, {@code HTTP/2}), its validators
   * ({@code ETag}, {@code Last-Modified}), whether it was a {@code 304} to a conditional request,
   * and the proxy it came through ({@code host:port}); each null (false) when not so.
   */
  public record Wire(String httpVersion, String etag, String lastModified, boolean notModified, String proxy) {

    public static final Wire NONE = new Wire(null, null, null, false, null);

    JsonObject toJson() {
      return new JsonObject().put("httpVersion", httpVersion).put("etag", etag).put("lastModified", lastModified)
        .put("notModified", notModified).put("proxy", proxy);
    }

    static Wire fromJson(JsonObject json) {
      return json == null ? NONE : new Wire(json.getString("httpVersion"), json.getString("etag"),
        json.getString("lastModified"), json.getBoolean("notModified", false), json.getString("proxy"));
    }
  }

  /** An outcome without anything said of the wire. */
  public FetchOutcome(String jobId, long index, long dispatchId, boolean ok, int status, String finalUrl,
                      String contentType, long bytes, String startedAt, long elapsedMs, String node,
                      JsonObject data, JsonArray links, String body, ErrorKind errorKind, String errorMessage,
                      List<SetCookie> setCookies, long retryAfterMs, List<String> discovered, List<String> sitemaps) {
    this(jobId, index, dispatchId, ok, status, finalUrl, contentType, bytes, startedAt, elapsedMs, node, data, links, body,
      errorKind, errorMessage, setCookies, retryAfterMs, discovered, sitemaps, Wire.NONE);
  }

  /** A page, robots.txt or sitemap that was answered with a 2xx and read as {@code parsed}. */
  static FetchOutcome ok(Exchange exchange, Page page, ParsedPage parsed) {
    return answered(exchange, page, parsed, null, null);
  }

  /** An answer outside 2xx: {@code http_status}, with the status line as the message. */
  static FetchOutcome httpStatus(Exchange exchange, Page page) {
    return answered(exchange, page, null, ErrorKind.HTTP_STATUS, page.statusLine());
  }

  /** A {@code 304 Not Modified} to a conditional request: ok, with nothing to read. */
  static FetchOutcome notModified(Exchange exchange, Page page) {
    return answered(exchange, page, null, null, null);
  }

  /** A 2xx answer whose body could not be read as what it was fetched for (a sitemap that is none). */
  static FetchOutcome unreadable(Exchange exchange, Page page, Throwable error) {
    return answered(exchange, page, null, ErrorKinds.kindOf(error), ErrorKinds.messageOf(error));
  }

  /** A try that got no answer, or whose answer was refused or cut off; it keeps the cookies set on the way. */
  static FetchOutcome failed(Exchange exchange, ErrorKind kind, String message) {
    return unanswered(exchange.request, exchange.node, exchange.startedAt, exchange.elapsedMs(), kind, message,
      exchange.setCookies());
  }

  /** A try that never reached the network, or whose answer was lost. */
  public static FetchOutcome failed(FetchRequest request, String node, String startedAt, long elapsedMs,
                                    ErrorKind kind, String message) {
    return unanswered(request, node, startedAt, elapsedMs, kind, message, List.of());
  }

  private static FetchOutcome unanswered(FetchRequest req, String node, String startedAt, long elapsedMs,
                                         ErrorKind kind, String message, List<SetCookie> setCookies) {
    Wire wire = req.proxy() == null ? Wire.NONE : new Wire(null, null, null, false, req.proxy().address());
    return new FetchOutcome(req.jobId(), req.index(), req.dispatchId(), false, 0, null, null, 0, startedAt, elapsedMs,
      node, null, null, null, kind, message, setCookies, RetryAfter.NONE, List.of(), List.of(), wire);
  }

  private static FetchOutcome answered(Exchange exchange, Page page, ParsedPage parsed, ErrorKind kind, String message) {
    FetchRequest req = exchange.request;
    return new FetchOutcome(req.jobId(), req.index(), req.dispatchId(), kind == null, page.status(), page.finalUrl(),
      page.contentType(), page.bytes(), exchange.startedAt, exchange.elapsedMs(), exchange.node,
      parsed == null ? null : parsed.data(), parsed == null ? null : parsed.links(), parsed == null ? null : parsed.text(),
      kind, message, exchange.setCookies(), page.retryAfterMs(), parsed == null ? List.of() : parsed.found(), List.of(),
      new Wire(page.httpVersion(), page.etag(), page.lastModified(), page.status() == 304 && kind == null,
        req.proxy() == null ? null : req.proxy().address()));
  }

  /**
   * This {@code 304} with what the earlier result said of the unchanged page: its validators where
   * the 304 repeated none, its {@code links} (or null), and for a crawl the links to follow.
   */
  public FetchOutcome unchangedSince(String etag, String lastModified, JsonArray earlierLinks, List<String> follow) {
    Wire carried = new Wire(wire.httpVersion(), wire.etag() != null ? wire.etag() : etag,
      wire.lastModified() != null ? wire.lastModified() : lastModified, true, wire.proxy());
    return new FetchOutcome(jobId, index, dispatchId, ok, status, finalUrl, contentType, bytes, startedAt, elapsedMs,
      node, null, earlierLinks, body, errorKind, errorMessage, setCookies, retryAfterMs, follow, sitemaps, carried);
  }

  /** The same outcome with what a sitemap lists: its pages, or (for an index) its sitemaps. */
  public FetchOutcome withDiscovered(List<String> pages, List<String> sitemaps) {
    return new FetchOutcome(jobId, index, dispatchId, ok, status, finalUrl, contentType, bytes, startedAt, elapsedMs,
      node, data, links, body, errorKind, errorMessage, setCookies, retryAfterMs, pages, sitemaps, wire);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("jobId", jobId).put("index", index).put("dispatchId", dispatchId).put("ok", ok)
      .put("status", status).put("finalUrl", finalUrl).put("contentType", contentType).put("bytes", bytes)
      .put("startedAt", startedAt).put("elapsedMs", elapsedMs).put("node", node)
      .put("data", data).put("links", links).put("body", body)
      .put("errorKind", errorKind == null ? null : errorKind.wire()).put("errorMessage", errorMessage)
      .put("setCookies", cookiesJson(setCookies)).put("retryAfterMs", retryAfterMs)
      .put("discovered", new JsonArray(new ArrayList<>(discovered)))
      .put("sitemaps", new JsonArray(new ArrayList<>(sitemaps)))
      .put("wire", wire == Wire.NONE ? null : wire.toJson());
  }

  public static FetchOutcome fromJson(JsonObject json) {
    List<SetCookie> cookies = cookiesOf(json.getJsonArray("setCookies"));
    return new FetchOutcome(json.getString("jobId"), json.getLong("index"), json.getLong("dispatchId"),
      json.getBoolean("ok"), json.getInteger("status"), json.getString("finalUrl"), json.getString("contentType"),
      json.getLong("bytes"), json.getString("startedAt"), json.getLong("elapsedMs"), json.getString("node"),
      json.getJsonObject("data"), json.getJsonArray("links"), json.getString("body"),
      json.getString("errorKind") == null ? null : ErrorKind.ofWire(json.getString("errorKind")),
      json.getString("errorMessage"), cookies, json.getLong("retryAfterMs"),
      strings(json.getJsonArray("discovered")), strings(json.getJsonArray("sitemaps")),
      Wire.fromJson(json.getJsonObject("wire")));
  }

  private static JsonArray cookiesJson(List<SetCookie> setCookies) {
    JsonArray array = new JsonArray();
    setCookies.forEach(c -> array.add(new JsonObject().put("url", c.url()).put("header", c.header())));
    return array;
  }

  private static List<SetCookie> cookiesOf(JsonArray array) {
    List<SetCookie> list = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonObject cookie = array.getJsonObject(i);
      list.add(new SetCookie(cookie.getString("url"), cookie.getString("header")));
    }
    return List.copyOf(list);
  }

  private static List<String> strings(JsonArray array) {
    List<String> list = new ArrayList<>(array.size());
    array.forEach(item -> list.add((String) item));
    return List.copyOf(list);
  }
}
