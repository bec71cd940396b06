package dev.trawl.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The HTTP API's settings ({@code http.*}), read once from the node config.
 *
 * @param enabled              {@code http.enabled}: whether this node serves the API at all
 * @param host                 {@code http.host}: the address the API listens on ({@code 127.0.0.1})
 * @param port                 {@code http.port}: its port (0: a free one)
 * @param token                {@code http.token}: the bearer token every call but {@code /health} needs; empty: none
 * @param allowUnauthenticated {@code http.allowUnauthenticated}: lets a node listen beyond loopback with no
 *                             token, for an operator who puts authentication in front of it
 * @param maxBodyBytes         {@code http.maxBodyBytes}: the largest job body accepted (413 beyond it)
 * @param nodeId               {@code node.id} ({@code pid@host} when empty): a job submitted here is coordinated by this node
 * @param maxResultStreams     {@code http.maxResultStreams}: results streams open at once on this node (503 beyond)
 * @param streamStallMs        {@code http.streamStallMs}: a results stream whose client takes nothing for this long is closed
 * @param bodyTimeoutMs        {@code http.bodyTimeoutMs}: a request body not received whole within this is answered 408
 * @param idleTimeoutMs        {@code http.idleTimeoutMs}: a connection with no request in progress for this long is closed
 */
public record HttpSettings(boolean enabled, String host, int port, String token, boolean allowUnauthenticated,
                           long maxBodyBytes, String nodeId, int maxResultStreams, long streamStallMs,
                           long bodyTimeoutMs, long idleTimeoutMs) {

  public static final int DEFAULT_MAX_RESULT_STREAMS = 256;
  public static final long DEFAULT_STREAM_STALL_MS = 60_000;
  public static final long DEFAULT_BODY_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;

  /** With the default bounds. */
  public HttpSettings(boolean enabled, String host, int port, String token, boolean allowUnauthenticated,
                      long maxBodyBytes, String nodeId) {
    this(enabled, host, port, token, allowUnauthenticated, maxBodyBytes, nodeId, DEFAULT_MAX_RESULT_STREAMS,
      DEFAULT_STREAM_STALL_MS, DEFAULT_BODY_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS);
  }

  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");
  private static final Pattern IPV6_LOOPBACK = Pattern.compile("::0{0,3}1|(0{1,4}:){7}0{0,3}1");

  public static HttpSettings from(TrawlConfig cfg) {
    return new HttpSettings(cfg.httpEnabled(), cfg.httpHost(), cfg.httpPort(), cfg.httpToken(),
      cfg.httpAllowUnauthenticated(), cfg.httpMaxBodyBytes(), cfg.nodeId(), cfg.section("http").getInteger("maxResultStreams"),
      cfg.section("http").getLong("streamStallMs"), cfg.section("http").getLong("bodyTimeoutMs"),
      cfg.section("http").getLong("idleTimeoutMs"));
  }

  /** Whether calls must carry {@code Authorization: Bearer <token>}. */
  public boolean authenticates() {
    return !token.isEmpty();
  }

  /**
   * The reason this node must not start, or null: an API reachable from other machines with no
   * token would let anyone run jobs, read results and cancel other people's work.
   */
  public String exposureProblem() {
    if (!enabled || authenticates() || allowUnauthenticated || isLoopback(host)) {
      return null;
    }
    return "http.host is " + host + ", not a loopback address, and http.token is empty: set http.token"
      + " (or http.host to 127.0.0.1, or http.allowUnauthenticated to true behind your own authentication)";
  }

  /**
   * Whether {@code host} names this machine's loopback interface by its text alone: {@code localhost},
   * {@code 127.0.0.0/8} in dotted decimal, or {@code ::1} (brackets and a trailing dot allowed). No
   * DNS is asked: this runs on event loops, for every request's {@code Host} header.
   */
  public static boolean isLoopback(String host) {
    String name = normalize(host);
    return name.equals("localhost") || IPV4_LOOPBACK.matcher(name).matches() || IPV6_LOOPBACK.matcher(name).matches();
  }

  /** Lower case, without the brackets of an IPv6 literal or the trailing dot of a name. */
  public static String normalize(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** Like the record's own, but never shows the token. */
  @Override
  public String toString() {
    return "HttpSettings[enabled=" + enabled + ", host=" + host + ", port=" + port
      + ", token=" + (authenticates() ? "(set)" : "") + ", allowUnauthenticated=" + allowUnauthenticated
      + ", maxBodyBytes=" + maxBodyBytes + ", nodeId=" + nodeId + ", maxResultStreams=" + maxResultStreams
      + ", streamStallMs=" + streamStallMs + ", bodyTimeoutMs=" + bodyTimeoutMs + ", idleTimeoutMs=" + idleTimeoutMs + "]";
  }
}
