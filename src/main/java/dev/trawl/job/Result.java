package dev.trawl.job;

import dev.trawl.error.ErrorKind;
import dev.trawl.fetch.FetchOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How one request of a job ended: the line its results file gets (SPEC "Results"), less the
 * {@code jobId} and {@code seq} it is given when recorded. Built only through the factories.
 *
 * @param status  the HTTP status, 0 when none was received
 * @param kind    why it is not ok; null when it is
 * @param links   {@code parse.links} of the page, or null
 * @param body    the body when {@code output.body}, or null
 * @param wire    the answer's HTTP version and validators, whether it was a 304, the proxy used
 */
record Result(RequestSpec request, String finalUrl, int status, String contentType, long bytes,
              int attempts, String startedAt, long elapsedMs, String node, JsonObject data, JsonArray links,
              String body, ErrorKind kind, String message, FetchOutcome.Wire wire) {

  /** The last try's outcome, ok or not, as the request's result. */
  static Result fetched(Pending pending, FetchOutcome outcome) {
    return new Result(pending.request(), outcome.finalUrl(), outcome.status(), outcome.contentType(),
      outcome.bytes(), pending.attempts(), pending.startedAt(), pending.elapsedMs(), outcome.node(), outcome.data(),
      outcome.links(), outcome.body(), outcome.ok() ? null : kindOf(outcome), outcome.errorMessage(), outcome.wire());
  }

  private static ErrorKind kindOf(FetchOutcome failed) {
    return failed.errorKind() == null ? ErrorKind.INTERNAL : failed.errorKind();
  }

  /** A request that was never tried: not valid, blocked by robots.txt, or its job ended first. */
  static Result unstarted(RequestSpec request, ErrorKind kind, String message) {
    return new Result(request, null, 0, null, 0, 0, null, 0, null, null, null, null, kind, message, FetchOutcome.Wire.NONE);
  }

  /** A request tried at least once whose job ended before it had a result. */
  static Result cancelled(Pending pending, String message) {
    return new Result(pending.request(), null, 0, null, 0, pending.attempts(), pending.startedAt(),
      pending.elapsedMs(), null, null, null, null, ErrorKind.CANCELLED, message, FetchOutcome.Wire.NONE);
  }

  /**
   * This result, which could not be encoded as a line (Jackson's nesting limit, say), as a
   * {@code parse} failure without its data, links or body: the request still gets its one line.
   */
  Result unencodable(String why) {
    return new Result(request, finalUrl, status, contentType, bytes, attempts, startedAt, elapsedMs, node,
      null, null, null, ErrorKind.PARSE, "the result could not be encoded as JSON: " + why, wire);
  }

  boolean ok() {
    return kind == null;
  }

  boolean cancelled() {
    return kind == ErrorKind.CANCELLED;
  }

  /** The line of the results file. */
  JsonObject toJson(String jobId, long seq) {
    JsonObject error = ok() ? null : new JsonObject().put("kind", kind.wire()).put("message", message);
    JsonObject line = new JsonObject().put("jobId", jobId).put("seq", seq).put("index", request.index())
      .put("url", request.url()).put("depth", request.depth())
      .put("finalUrl", finalUrl).put("ok", ok()).put("status", status == 0 ? null : status)
      .put("contentType", contentType).put("bytes", bytes)
      .put("attempts", attempts).put("startedAt", startedAt).put("elapsedMs", elapsedMs).put("node", node)
      .put("data", data).put("error", error);
    putWire(line);
    if (links != null) {
      line.put("links", links);
    }
    if (body != null) {
      line.put("body", body);
    }
    return line;
  }

  /** What the answer said of itself, each only when there is something to say. */
  private void putWire(JsonObject line) {
    if (wire.httpVersion() != null) {
      line.put("httpVersion", wire.httpVersion());
    }
    if (wire.etag() != null) {
      line.put("etag", wire.etag());
    }
    if (wire.lastModified() != null) {
      line.put("lastModified", wire.lastModified());
    }
    if (wire.notModified()) {
      line.put("notModified", true);
    }
    if (wire.proxy() != null) {
      line.put("proxy", wire.proxy());
    }
  }

  /** What a summary says of the result that decided it ({@code winner}). */
  JsonObject brief(long seq) {
    return new JsonObject().put("seq", seq).put("index", request.index()).put("url", request.url())
      .put("status", status == 0 ? null : status);
  }

  /** {@link #brief} with the error ({@code firstError}). */
  JsonObject briefWithError(long seq) {
    return brief(seq).put("error", new JsonObject().put("kind", kind.wire()).put("message", message));
  }
}
