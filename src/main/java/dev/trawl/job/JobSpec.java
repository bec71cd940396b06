package dev.trawl.job;

import dev.trawl.config.JobDefaults;
import dev.trawl.config.Limits;
import dev.trawl.config.Problems;
import dev.trawl.config.RetryPolicy;
import dev.trawl.config.Timeouts;
import dev.trawl.fetch.Proxy;
import dev.trawl.parse.FollowSpec;
import dev.trawl.parse.ParseSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A job, validated (SPEC "Jobs"). {@link #parse} never throws on bad input: it reports every
 * problem. Inline {@code requests} are validated whole; a {@code requestsFile} is read lazily and
 * its bad lines become {@code invalid_request} results.
 *
 * @param requests     the inline requests (raw JSON, validated), or null with a file
 * @param requestsFile path of a file on this node, one request a line, or null; read only from
 *                     {@code jobs.requestsFileDir} (see {@link RequestsFile})
 * @param deadlineMs   0 for none
 * @param follow       how the job crawls, or null when it only fetches its requests
 * @param proxies      the proxies its requests go through
 * @param since        the id of an earlier job of the same name whose validators make requests conditional, or null
 */
public record JobSpec(String name, JsonArray requests, String requestsFile, Mode mode, long deadlineMs,
                      Map<String, String> headers, Map<String, String> cookies, Limits limits, Timeouts timeouts,
                      RetryPolicy retry, ParseSpec parse, String robots, boolean outputBody, FollowSpec follow,
                      ProxyPlan proxies, String since) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Set<String> KEYS = Set.of("name", "requests", "requestsFile", "mode", "deadlineMs",
    "headers", "cookies", "limits", "timeouts", "retry", "parse", "follow", "robots", "output", "proxy", "proxySticky",
    "since");

  /**
   * What a job is checked against besides its own keys: the node's {@code fetch.robots}, its proxy
   * pool ({@code fetch.proxies}) and whether jobs may name their own ({@code fetch.allowJobProxies}).
   */
  public record NodeRules(String robotsDefault, List<Proxy> proxyPool, boolean allowJobProxies) {

    public static final NodeRules DEFAULT = new NodeRules("obey", List.of(), false);
  }

  /** The result of validation: a spec when there are no problems. */
  public record Parsed(JobSpec spec, Problems problems) {
  }

  /** The same job without its inline requests, for a finished job's summary. */
  public JobSpec withoutRequests() {
    return new JobSpec(name, requests == null ? null : new JsonArray(), requestsFile, mode, deadlineMs, headers, cookies,
      limits, timeouts, retry, parse, robots, outputBody, follow, proxies, since);
  }

  /** A stand-in for a job that ended before this node started: only its name is known (its summary says the rest). */
  static JobSpec named(String name) {
    return new JobSpec(name, new JsonArray(), null, Mode.JOIN, 0, Map.of(), Map.of(), null, null, null, null, "obey",
      false, null, ProxyPlan.NONE, null);
  }

  public boolean obeysRobots() {
    return robots.equals("obey");
  }

  public static Parsed parse(JsonObject job, JobDefaults defaults, long maxRequests) {
    return parse(job, defaults, maxRequests, NodeRules.DEFAULT);
  }

  /** Validates {@code job}; {@code robotsDefault} is the node's {@code fetch.robots}. */
  public static Parsed parse(JsonObject job, JobDefaults defaults, long maxRequests, String robotsDefault) {
    return parse(job, defaults, maxRequests, new NodeRules(robotsDefault, List.of(), false));
  }

  /** Validates {@code job} against the node's {@code rules}. */
  public static Parsed parse(JsonObject job, JobDefaults defaults, long maxRequests, NodeRules rules) {
    String robotsDefault = rules.robotsDefault();
    Problems p = new Problems();
    p.unknownKeys(job, "", KEYS);
    String name = name(job, p);
    Mode mode = mode(p.string(job, "mode", "", "join"), p);
    long deadlineMs = p.number(job, "deadlineMs", "", 1, 7L * 24 * 3_600_000, 0);
    Limits limits = Limits.parse(p.object(job, "limits", ""), defaults.limits(), "limits", p);
    Timeouts timeouts = Timeouts.parse(p.object(job, "timeouts", ""), defaults.timeouts(), "timeouts", p);
    RetryPolicy retry = RetryPolicy.parse(p.object(job, "retry", ""), defaults.retry(), "retry", p);
    ParseSpec parse = ParseSpec.parse(p.object(job, "parse", ""), "parse", p);
    Map<String, String> headers = RequestSpec.headers(job, "", p);
    HeaderRules.checkSize(headers, Map.of(), "headers", p);
    Map<String, String> cookies = cookies(p.object(job, "cookies", ""), p);
    JsonArray requests = requests(job, new RequestSpec.Defaults(timeouts, headers), maxRequests, p);
    String file = p.string(job, "requestsFile", "", null);
    if ((requests == null) == (file == null)) {
      p.add("", "give exactly one of requests and requestsFile");
    }
    FollowSpec follow = FollowSpec.parse(p.object(job, "follow", ""), "follow", maxRequests, p);
    String robots = robots(p.string(job, "robots", "", robotsDefault), p);
    boolean outputBody = output(p.object(job, "output", ""), p);
    ProxyPlan proxies = ProxyPlan.parse(job, rules.proxyPool(), rules.allowJobProxies(), p);
    String since = p.string(job, "since", "", null);
    JobSpec spec = p.isEmpty() ? new JobSpec(name, requests, file, mode, deadlineMs, headers, cookies, limits,
      timeouts, retry, parse, robots, outputBody, follow, proxies, since) : null;
    return new Parsed(spec, p);
  }

  private static String name(JsonObject job, Problems p) {
    String name = p.string(job, "name", "", null);
    if (name == null) {
      p.add("name", "is required");
    } else if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      p.add("name", "must match [A-Za-z0-9._-]{1,64} and not be . or ..");
    }
    return name;
  }

  private static Mode mode(String value, Problems p) {
    try {
      return Mode.of(value);
    } catch (IllegalArgumentException e) {
      p.add("mode", "must be one of join, all, any, first");
      return Mode.JOIN;
    }
  }

  private static JsonArray requests(JsonObject job, RequestSpec.Defaults defaults, long maxRequests, Problems p) {
    Object raw = job.getValue("requests");
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof JsonArray array)) {
      p.add("requests", "must be an array");
      return null;
    }
    if (array.isEmpty()) {
      p.add("requests", "must not be empty");
    }
    if (array.size() > maxRequests) {
      p.add("requests", "has " + array.size() + " entries, over jobs.maxRequests=" + maxRequests);
    }
    for (int i = 0; i < array.size(); i++) {
      RequestSpec.parse(i, array.getValue(i), defaults, "requests[" + i + "]", p);
    }
    return array;
  }

  private static String robots(String value, Problems p) {
    if (!value.equals("obey") && !value.equals("ignore")) {
      p.add("robots", "must be obey or ignore");
    }
    return value;
  }

  private static boolean output(JsonObject output, Problems p) {
    if (output == null) {
      return false;
    }
    p.unknownKeys(output, "output", Set.of("body"));
    return p.bool(output, "body", "output", false);
  }

  private static Map<String, String> cookies(JsonObject cookies, Problems p) {
    Map<String, String> map = new LinkedHashMap<>();
    if (cookies != null) {
      cookies.forEach(e -> {
        if (e.getValue() instanceof String value) {
          map.put(e.getKey(), value);
        } else {
          p.add(p.key("cookies", e.getKey()), "must be a string");
        }
      });
    }
    HeaderRules.checkCookies(map, "cookies", p);
    return map;
  }
}
