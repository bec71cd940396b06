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
  /**
   * What the remembered URLs may hold, counted as their characters (two bytes each) plus 100 bytes
   * an entry: a quarter of the heap. URLs past it are asked for unconditionally.
   */
  static final long MAX_BYTES = Runtime.getRuntime().maxMemory() / 4;

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
    long bytes = 0;
    try (BufferedReader in = Files.newBufferedReader(results, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonObject result = resultOf(line);
        Earlier earlier = result == null ? null : earlierOf(result, keepLinks);
        if (earlier == null) {
          continue;
        }
        String url = result.getString("url");
        long cost = costOf(url, earlier);
        if (bytes + cost > MAX_BYTES && !byUrl.containsKey(url)) {
          skipped++;
        } else {
          bytes += cost;
          byUrl.put(url, earlier);
        }
      }
    }
    return new Validators(byUrl, skipped);
  }

  private static JsonObject resultOf(String line) {
    try {
      return new JsonObject(line);
    } catch (RuntimeException e) {
      return null; // a torn last line of a job that was killed: it has no result to learn from
    }
  }

  /** What a GET's earlier result offers: only a result with validators can be answered 304. */
  private static Earlier earlierOf(JsonObject result, boolean keepLinks) {
    if (!Boolean.TRUE.equals(result.getBoolean("ok")) || result.getString("url") == null) {
      return null;
    }
    String etag = result.getString("etag");
    String lastModified = result.getString("lastModified");
    if (etag == null && lastModified == null) {
      return null;
    }
    return new Earlier(etag, lastModified, keepLinks ? result.getJsonArray("links") : null);
  }

  private static long costOf(String url, Earlier earlier) {
    long chars = url.length() + length(earlier.etag()) + length(earlier.lastModified());
    if (earlier.links() != null) {
      for (Object link : earlier.links()) {
        chars += link instanceof String s ? s.length() + 20 : 20;
      }
    }
    return 2 * chars + 100;
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  /** What the earlier job learnt of {@code url}, or null. */
  Earlier of(String url) {
    return byUrl.get(url);
  }

  /** URLs over {@link #MAX_BYTES}, not remembered. */
  long skipped() {
    return skipped;
  }

  /**
   * Adds {@code If-None-Match} and {@code If-Modified-Since} for {@code url}, unless the job set its
   * own. Only to a GET or HEAD without a body (a false condition on any other method is a 412, and
   * the method is not performed), and for a crawl only where the earlier result recorded the page's
   * links ({@code parse.links}): a 304 without them would end the crawl there.
   */
  void putConditions(String url, String method, boolean hasBody, boolean crawling, Map<String, String> headers) {
    Earlier earlier = byUrl.isEmpty() ? null : byUrl.get(url);
    if (earlier == null || hasBody || !(method.equals("GET") || method.equals("HEAD"))
      || (crawling && earlier.links() == null)) {
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
