package dev.trawl.fetch;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.HttpResponse;

import java.time.Clock;

/** The answer a try got: the last hop's response, and the URL it came from. */
record Page(String finalUrl, HttpResponse<Buffer> response) {

  int status() {
    return response.statusCode();
  }

  boolean isSuccess() {
    return status() >= 200 && status() < 300;
  }

  /** {@code HTTP 404 Not Found}: the message of an {@code http_status} outcome. */
  String statusLine() {
    return "HTTP " + status() + (response.statusMessage() == null ? "" : " " + response.statusMessage());
  }

  String contentType() {
    return response.getHeader(HttpHeaders.CONTENT_TYPE);
  }

  long bytes() {
    return response.body() == null ? 0 : response.body().length();
  }

  /** The body's bytes, the very array the body codec filled (no copy). */
  byte[] body() {
    return LimitedBody.bytesOf(response.body() == null ? Buffer.buffer() : response.body());
  }

  /** {@code HTTP/2}, {@code HTTP/1.1} or {@code HTTP/1.0}: the version the answer came in. */
  String httpVersion() {
    return switch (response.version()) {
      case HTTP_2 -> "HTTP/2";
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
    };
  }

  /** The {@code ETag} validator, or null. */
  String etag() {
    return response.getHeader("ETag");
  }

  /** The {@code Last-Modified} validator, or null. */
  String lastModified() {
    return response.getHeader("Last-Modified");
  }

  long retryAfterMs() {
    return RetryAfter.ms(response.getHeader(HttpHeaders.RETRY_AFTER), Clock.systemUTC());
  }
}
