package dev.trawl.job;

import dev.trawl.config.Problems;
import dev.trawl.config.Timeouts;
import dev.trawl.web.HostNames;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One request of a job, validated: a URL string or an object with {@code url}, {@code method},
 * {@code headers}, {@code json} or {@code body}, and {@code timeouts}. A line of a
 * {@code requestsFile} that is not valid becomes a spec with a {@link #problem()}, which ends as an
 * {@code invalid_request} result at its index.
 *
 * @param timeouts the request's own timeouts, or null to use the job's
 * @param depth    0 for the job's own requests; links followed from depth d are d+1
 */
public record RequestSpec(long index, String url, String method, Map<String, String> headers, String body,
                          Timeouts timeouts, String problem, int depth) {

  /** A page a crawl found: a GET of {@code url}. */
  public static RequestSpec crawled(long index, String url, int depth) {
    return new RequestSpec(index, url, "GET", Map.of(), null, null, null, depth);
  }

  private static final Set<String> KEYS = Set.of("url", "method", "headers", "json", "body", "timeouts");
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  private static final int MAX_ECHO = 200;

  public boolean valid() {
    return problem == null;
  }

  /** Validates one entry of {@code requests}; problems go to {@code problems} under {@code path}. */
  public static RequestSpec parse(long index, Object entry, Timeouts jobTimeouts, String path, Problems problems) {
    if (entry instanceof String url) {
      return new RequestSpec(index, checkUrl(url, path, problems), "GET", Map.of(), null, null, null, 0);
    }
    if (!(entry instanceof JsonObject obj)) {
      problems.add(path, "must be a URL string or a request object");
      return null;
    }
    problems.unknownKeys(obj, path, KEYS);
    String url = problems.string(obj, "url", path, null);
    if (url == null) {
      problems.add(Problems.join(path, "url"), "is required");
    } else {
      checkUrl(url, Problems.join(path, "url"), problems);
    }
    String method = problems.string(obj, "method", path, "GET").toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      problems.add(Problems.join(path, "method"), "must be one of " + String.join(", ", METHODS));
    }
    Map<String, String> headers = headers(obj, path, problems);
    if (obj.containsKey("json") && headers.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
      headers.put("Content-Type", "application/json");
    }
    return new RequestSpec(index, url, method, headers, body(obj, path, problems),
      obj.containsKey("timeouts") ? Timeouts.parse(problems.object(obj, "timeouts", path), jobTimeouts,
        Problems.join(path, "timeouts"), problems) : null, null, 0);
  }

  /** Reads one line of a {@code requestsFile}: a URL or a JSON request object. Never throws. */
  public static RequestSpec ofLine(long index, String line, Timeouts jobTimeouts) {
    String text = line.strip();
    Object entry = text;
    if (text.startsWith("{")) {
      try {
        entry = new JsonObject(text);
      } catch (DecodeException e) {
        return invalid(index, text, "line " + (index + 1) + " is not valid JSON");
      }
    }
    Problems problems = new Problems();
    RequestSpec spec = parse(index, entry, jobTimeouts, "line " + (index + 1), problems);
    if (!problems.isEmpty()) {
      String url = entry instanceof JsonObject obj && obj.getValue("url") instanceof String u ? u : text;
      return invalid(index, url, String.join("; ", problems.list()));
    }
    return spec;
  }

  private static RequestSpec invalid(long index, String url, String problem) {
    String echo = url.length() > MAX_ECHO ? url.substring(0, MAX_ECHO) + "…" : url;
    return new RequestSpec(index, echo, "GET", Map.of(), null, null, problem, 0);
  }

  /** Checks an absolute http(s) URL with a host; returns it unchanged. */
  static String checkUrl(String url, String path, Problems problems) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        problems.add(path, "scheme must be http or https: " + url);
      } else if (HostNames.hostOf(uri) == null) {
        problems.add(path, "URL has no host: " + url);
      } else {
        HostNames.literalAddress(HostNames.hostOf(uri));
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      problems.add(path, "invalid URL: " + e.getMessage());
    }
    return url;
  }

  static Map<String, String> headers(JsonObject obj, String path, Problems problems) {
    JsonObject headers = problems.object(obj, "headers", path);
    Map<String, String> map = new LinkedHashMap<>();
    if (headers == null) {
      return map;
    }
    headers.forEach(e -> {
      if (e.getValue() instanceof String value && !e.getKey().isBlank()) {
        map.put(e.getKey(), value);
      } else {
        problems.add(Problems.join(Problems.join(path, "headers"), e.getKey()), "must be a string");
      }
    });
    return map;
  }

  private static String body(JsonObject obj, String path, Problems problems) {
    if (obj.containsKey("json") && obj.containsKey("body")) {
      problems.add(path, "give json or body, not both");
      return null;
    }
    if (obj.containsKey("json")) {
      Object json = obj.getValue("json");
      return json == null ? "null" : io.vertx.core.json.Json.encode(json);
    }
    return problems.string(obj, "body", path, null);
  }
}
