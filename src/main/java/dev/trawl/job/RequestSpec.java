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

  /**
   * What a job gives each of its requests: its timeouts and its headers (the headers count toward
   * each request's limits, see {@link HeaderRules#checkSize}).
   */
  public record Defaults(Timeouts timeouts, Map<String, String> headers) {
    static Defaults of(JobSpec spec) {
      return new Defaults(spec.timeouts(), spec.headers());
    }
  }

  public boolean valid() {
    return problem == null;
  }

  /** Validates one entry of {@code requests}; problems go to {@code problems} under {@code path}. */
  public static RequestSpec parse(long index, Object entry, Defaults job, String path, Problems problems) {
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
    if (!headers.isEmpty()) { // the job's own headers are checked once, with the job
      HeaderRules.checkSize(job.headers(), headers, Problems.join(path, "headers"), problems);
    }
    return new RequestSpec(index, url, method, headers, body(obj, path, problems),
      obj.containsKey("timeouts") ? Timeouts.parse(problems.object(obj, "timeouts", path), job.timeouts(),
        Problems.join(path, "timeouts"), problems) : null, null, 0);
  }

  /**
   * Reads one line of a {@code requestsFile}: a URL or a JSON request object. Never throws. A bad
   * line's problem names its line number and the reason, never its content: the file may be
   * anything readable, so only its {@code url} (cut at {@link Problems#MAX_ECHO}) comes back.
   */
  public static RequestSpec ofLine(long index, String line, Defaults job) {
    String text = line.strip();
    String where = "line " + (index + 1);
    Object entry = text;
    if (text.startsWith("{")) {
      try {
        entry = new JsonObject(text);
      } catch (DecodeException e) {
        return invalid(index, "", where + " is not valid JSON");
      }
    }
    Problems problems = Problems.hidingInput();
    RequestSpec spec = parse(index, entry, job, where, problems);
    if (!problems.isEmpty()) {
      String url = entry instanceof JsonObject obj ? (obj.getValue("url") instanceof String u ? u : "") : text;
      return invalid(index, url, String.join("; ", problems.list()));
    }
    return spec;
  }

  /** A line of a {@code requestsFile} over {@code maxBytes}: its request is invalid, its content unread. */
  static RequestSpec tooLong(long index, int maxBytes) {
    return invalid(index, "", "line " + (index + 1) + " is longer than " + maxBytes + " bytes");
  }

  private static RequestSpec invalid(long index, String url, String problem) {
    return new RequestSpec(index, new Problems().echo(url), "GET", Map.of(), null, null, problem, 0);
  }

  /** Checks an absolute http(s) URL with a host; returns it unchanged. The problem never quotes it. */
  static String checkUrl(String url, String path, Problems problems) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        problems.add(path, "scheme must be http or https");
      } else if (HostNames.hostOf(uri) == null) {
        problems.add(path, "URL has no host");
      } else {
        HostNames.literalAddress(HostNames.hostOf(uri));
      }
    } catch (URISyntaxException e) {
      problems.add(path, "invalid URL: " + e.getReason() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
    } catch (IllegalArgumentException e) {
      problems.add(path, "invalid URL: the host ends in a number but is not a valid IP address");
    }
    return url;
  }

  /** The {@code headers} of {@code obj} (a job or a request), each name and value checked. */
  static Map<String, String> headers(JsonObject obj, String path, Problems problems) {
    JsonObject headers = problems.object(obj, "headers", path);
    Map<String, String> map = new LinkedHashMap<>();
    if (headers == null) {
      return map;
    }
    String where = Problems.join(path, "headers");
    headers.forEach(e -> {
      if (e.getValue() instanceof String value) {
        map.put(e.getKey(), value);
      } else {
        problems.add(problems.key(where, e.getKey()), "must be a string");
      }
    });
    HeaderRules.checkEach(map, where, problems);
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
