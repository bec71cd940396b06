package dev.trawl.config;

/**
 * The HTTP API's settings ({@code http.*}), read once from the node config.
 *
 * @param enabled      {@code http.enabled}: whether this node serves the API at all
 * @param host         {@code http.host}: the address the API listens on
 * @param port         {@code http.port}: its port (0: a free one)
 * @param token        {@code http.token}: the bearer token every call but {@code /health} needs; empty: none
 * @param maxBodyBytes {@code http.maxBodyBytes}: the largest job body accepted (413 beyond it)
 * @param nodeId       {@code node.id} ({@code pid@host} when empty): a job submitted here is coordinated by this node
 */
public record HttpSettings(boolean enabled, String host, int port, String token, long maxBodyBytes, String nodeId) {

  public static HttpSettings from(TrawlConfig cfg) {
    return new HttpSettings(cfg.httpEnabled(), cfg.httpHost(), cfg.httpPort(), cfg.httpToken(),
      cfg.httpMaxBodyBytes(), cfg.nodeId());
  }

  /** Whether calls must carry {@code Authorization: Bearer <token>}. */
  public boolean authenticates() {
    return !token.isEmpty();
  }

  /** Like the record's own, but never shows the token. */
  @Override
  public String toString() {
    return "HttpSettings[enabled=" + enabled + ", host=" + host + ", port=" + port
      + ", token=" + (authenticates() ? "(set)" : "") + ", maxBodyBytes=" + maxBodyBytes + ", nodeId=" + nodeId + "]";
  }
}
