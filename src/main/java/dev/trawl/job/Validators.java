package dev.trawl.job;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an earlier job of the same name learnt of each URL (a job's {@code since}): the
 * {@code ETag} and {@code Last-Modified} its answers carried, which make this job's requests
 * conditional ({@code If-None-Match}, {@code If-Modified-Since}), and the links its pages had, which a
 * crawl follows again when a page answers {@code 304 Not Modified}. Read from the earlier job's
 * results file on a worker thread; used on the coordinator's event loop.
 */
final class Validators {

  static final Validators NONE = new Validators(Map.of(), 0);
  /** URLs remembered at most (about 200 bytes each); the rest of a bigger job are asked for unconditionally. */
  static final int MAX_URLS = 500_000;

  /** What one URL's earlier result said; each part null when it said nothing. */
  record Earlier(String etag, String lastModified, JsonArray links) {
  }

  private final Map<String, Earlier> byUrl;
  private final long skipped;

  private Validators(Map<String, Earlier> byUrl, long skipped) {
    this.byUrl = byUrl;
    this.skipped = skipped;
  }

  /** The validators (and, for {@code keepLinks}, the links) of an earlier job's results file. */
  static Validators read(Path results, boolean keepLinks) throws IOException {
    Map<String, Earlier> byUrl = new HashMap<>();
    long skipped = 0;
    try (BufferedReader in = Files.newBufferedReader(results, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        Earlier earlier = earlierOf(line, keepLinks);
        if (earlier == null) {
          continue;
        }
        String url = new JsonObject(line).getString("url");
        if (byUrl.size() >= MAX_URLS && !byUrl.containsKey(url)) {
          skipped++;
        } else {
          byUrl.put(url, earlier);
        }
      }
    }
    return new Validators(byUrl, skipped);
  }

  private static Earlier earlierOf(String line, boolean keepLinks) {
    JsonObject result;
    try {
      result = new JsonObject(line);
    } catch (RuntimeException e) {
      return null; // a torn last line of a job that was killed: it has no result to learn from
    }
    if (!Boolean.TRUE.equals(result.getBoolean("ok")) || result.getString("url") == null) {
      return null;
    }
    String etag = result.getString("etag");
    String lastModified = result.getString("lastModified");
    JsonArray links = keepLinks ? result.getJsonArray("links") : null;
    return etag == null && lastModified == null && links == null ? null : new Earlier(etag, lastModified, links);
  }

  /** What the earlier job learnt of {@code url}, or null. */
  Earlier of(String url) {
    return byUrl.get(url);
  }

  /** URLs over {@link #MAX_URLS}, not remembered. */
  long skipped() {
    return skipped;
  }

  /** Adds {@code If-None-Match} and {@code If-Modified-Since} for {@code url}, unless the job set its own. */
  void putConditions(String url, Map<String, String> headers) {
    Earlier earlier = byUrl.isEmpty() ? null : byUrl.get(url);
    if (earlier == null) {
      return;
    }
    if (earlier.etag() != null && !has(headers, "If-None-Match")) {
      headers.put("If-None-Match", earlier.etag());
    }
    if (earlier.lastModified() != null && !has(headers, "If-Modified-Since")) {
      headers.put("If-Modified-Since", earlier.lastModified());
    }
  }

  private static boolean has(Map<String, String> headers, String name) {
    return headers.keySet().stream().anyMatch(name::equalsIgnoreCase);
  }

  /** The links {@code url}'s page had in the earlier job, or an empty list. */
  List<String> linksOf(String url) {
    Earlier earlier = byUrl.get(url);
    if (earlier == null || earlier.links() == null) {
      return List.of();
    }
    return earlier.links().stream().filter(String.class::isInstance).map(String.class::cast).toList();
  }
}
