package dev.trawl.job;

import dev.trawl.fetch.Proxy;
import dev.trawl.web.HostKey;

import java.util.HashMap;
import java.util.Map;

/**
 * A job's turn through its proxies: round robin per request, or with {@code proxySticky: "host"}
 * the same proxy for every request to a host (the first it was given, by the same turn). Used on
 * the coordinator's event loop.
 */
final class ProxyRotation {

  private static final int MAX_HOSTS = 65_536;

  private final ProxyPlan plan;
  private final Map<String, Proxy> byHost = new HashMap<>();
  private int next;

  ProxyRotation(ProxyPlan plan) {
    this.plan = plan;
  }

  /** The proxy for a request to {@code url}, or null when the job goes direct. */
  Proxy forUrl(String url) {
    if (plan.none()) {
      return null;
    }
    if (!plan.sticky()) {
      return turn();
    }
    String host = HostKey.of(url);
    if (byHost.size() >= MAX_HOSTS) {
      byHost.clear(); // a crawl across a great many hosts: their proxies are dealt again
    }
    return byHost.computeIfAbsent(host == null ? "" : host, h -> turn());
  }

  private Proxy turn() {
    Proxy proxy = plan.proxies().get(next);
    next = (next + 1) % plan.proxies().size();
    return proxy;
  }
}
