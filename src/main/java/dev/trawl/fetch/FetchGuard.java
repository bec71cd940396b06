package dev.trawl.fetch;

import dev.trawl.config.FetchSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Set;

/**
 * The safety settings of the node that coordinates a job, carried by each of its tries, so that the
 * node that fetches applies them and not its own: in a cluster, a node configured more loosely
 * cannot be used to reach what the coordinator forbids.
 *
 * @param blockPrivateNetworks whether addresses that are not globally reachable are refused
 *                             ({@code fetch.blockPrivateNetworks}, see {@link PrivateAddresses})
 * @param allowPrivateHosts    host names (lower case, as written in URLs) the guard lets through
 *                             ({@code fetch.allowPrivateHosts})
 * @param maxBodyBytes         the largest body kept, after decompression ({@code fetch.maxBodyBytes})
 * @param maxRedirects         redirects followed before {@code too_many_redirects} ({@code fetch.maxRedirects})
 */
public record FetchGuard(boolean blockPrivateNetworks, Set<String> allowPrivateHosts, long maxBodyBytes,
                         int maxRedirects) {

  public FetchGuard {
    allowPrivateHosts = Set.copyOf(allowPrivateHosts);
  }

  /** The guard a coordinator puts on its tries, from its own config. */
  public static FetchGuard of(FetchSettings settings) {
    return new FetchGuard(settings.blockPrivateNetworks(), settings.allowPrivateHosts(), settings.maxBodyBytes(),
      settings.maxRedirects());
  }

  /** Whether the private-network guard checks where {@code host} resolves to. */
  public boolean guards(String host) {
    return blockPrivateNetworks && !allowPrivateHosts.contains(host);
  }

  public JsonObject toJson() {
    return new JsonObject().put("blockPrivateNetworks", blockPrivateNetworks)
      .put("allowPrivateHosts", new JsonArray(allowPrivateHosts.stream().sorted().toList()))
      .put("maxBodyBytes", maxBodyBytes).put("maxRedirects", maxRedirects);
  }

  public static FetchGuard fromJson(JsonObject json) {
    Set<String> hosts = new HashSet<>();
    json.getJsonArray("allowPrivateHosts").forEach(host -> hosts.add(String.valueOf(host)));
    return new FetchGuard(json.getBoolean("blockPrivateNetworks"), hosts, json.getLong("maxBodyBytes"),
      json.getInteger("maxRedirects"));
  }
}
