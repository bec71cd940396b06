package dev.trawl.job;

import dev.trawl.config.Problems;
import dev.trawl.fetch.Proxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Which proxies a job's requests go through (SPEC "Jobs": {@code proxy}, {@code proxySticky}):
 * none, the node's pool ({@code fetch.proxies}), or the job's own list (only with
 * {@code fetch.allowJobProxies}). A job that does not say takes the pool when the node has one.
 *
 * @param proxies the proxies to rotate over; empty for none
 * @param sticky  one proxy per target host ({@code proxySticky: "host"}) rather than one per request
 */
record ProxyPlan(List<Proxy> proxies, boolean sticky) {

  static final ProxyPlan NONE = new ProxyPlan(List.of(), false);

  ProxyPlan {
    proxies = List.copyOf(proxies);
  }

  /** What a job's {@code proxy} and {@code proxySticky} say, against the node's pool and rules. */
  static ProxyPlan parse(JsonObject job, List<Proxy> pool, boolean allowJobProxies, Problems p) {
    boolean sticky = sticky(job, p);
    Object raw = job.getValue("proxy");
    if (raw == null) {
      return new ProxyPlan(pool, sticky);
    }
    if (raw instanceof String word) {
      switch (word) {
        case "none":
          return new ProxyPlan(List.of(), sticky);
        case "pool":
          if (pool.isEmpty()) {
            p.add("proxy", "is pool, but this node has no proxies (fetch.proxies)");
          }
          return new ProxyPlan(pool, sticky);
        default:
          p.add("proxy", "must be none, pool, or a list of proxy URLs");
          return NONE;
      }
    }
    if (!(raw instanceof JsonArray list)) {
      p.add("proxy", "must be none, pool, or a list of proxy URLs");
      return NONE;
    }
    if (!allowJobProxies) {
      p.add("proxy", "a job's own proxies are not allowed on this node (fetch.allowJobProxies)");
      return NONE;
    }
    if (list.isEmpty()) {
      p.add("proxy", "must not be an empty list");
    }
    List<Proxy> own = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof String url)) {
        p.add("proxy[" + i + "]", "must be a proxy URL");
        continue;
      }
      try {
        own.add(Proxy.parse(url));
      } catch (IllegalArgumentException e) {
        p.add("proxy[" + i + "]", e.getMessage()); // the message never repeats the URL: it may hold credentials
      }
    }
    return new ProxyPlan(own, sticky);
  }

  private static boolean sticky(JsonObject job, Problems p) {
    String sticky = p.string(job, "proxySticky", "", null);
    if (sticky != null && !sticky.equals("host")) {
      p.add("proxySticky", "must be host");
    }
    return sticky != null;
  }

  boolean none() {
    return proxies.isEmpty();
  }
}
