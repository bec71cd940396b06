package dev.trawl.config;

import java.util.Set;

/**
 * What a fetch verticle reads of the node config, read once when it starts: the config tree is
 * JSON, and these values are wanted on every request. The guard's values ({@code maxBodyBytes},
 * {@code maxRedirects}, {@code blockPrivateNetworks}, {@code allowPrivateHosts}) are read by the
 * coordinator, which puts them on each try it sends ({@code fetch.FetchGuard}): a fetcher applies
 * the coordinator's, never its own node's.
 *
 * @param nodeId               the name results give for this node ({@code node.id})
 * @param maxBodyBytes         the largest body kept, after decompression ({@code fetch.maxBodyBytes})
 * @param maxRedirects         redirects followed before {@code too_many_redirects} ({@code fetch.maxRedirects})
 * @param blockPrivateNetworks whether private, loopback and link-local addresses are refused
 * @param allowPrivateHosts    host names (lower case, as written in URLs) the guard lets through
 * @param userAgent            the {@code User-Agent} sent unless a job sets its own
 * @param parseOffloadBytes    bodies larger than this are parsed on a worker thread ({@code parse.offloadBytes})
 * @param perHostPool          connections kept per host ({@code fetch.perHostPool})
 * @param http2                whether HTTP/2 is offered over TLS ({@code fetch.http2})
 * @param trustStore           a PEM file of extra CA certificates, or "" ({@code fetch.trustStore})
 * @param insecureTls          whether certificates go unchecked ({@code fetch.insecureTls}; tests only)
 */
public record FetchSettings(String nodeId, long maxBodyBytes, int maxRedirects, boolean blockPrivateNetworks,
                            Set<String> allowPrivateHosts, String userAgent, int parseOffloadBytes, int perHostPool,
                            boolean http2, String trustStore, boolean insecureTls) {

  public FetchSettings {
    allowPrivateHosts = Set.copyOf(allowPrivateHosts);
  }

  public static FetchSettings from(TrawlConfig cfg) {
    return new FetchSettings(cfg.nodeId(), cfg.maxBodyBytes(), cfg.maxRedirects(), cfg.blockPrivateNetworks(),
      cfg.allowPrivateHosts(), cfg.userAgent(), cfg.parseOffloadBytes(), cfg.perHostPool(), cfg.http2(),
      cfg.trustStore(), cfg.insecureTls());
  }
}
