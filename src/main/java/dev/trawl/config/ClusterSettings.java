package dev.trawl.config;

/**
 * How nodes learn of each other ({@code node.id}, {@code cluster.*}), read once from the node config.
 *
 * @param nodeId        {@code node.id}, or {@code pid@host} when that is empty: the name this node beats with
 * @param heartbeatMs   {@code cluster.heartbeatMs}: how often a node tells the others it is alive
 * @param nodeTimeoutMs {@code cluster.nodeTimeoutMs}: a node not heard from for this long is presumed dead
 */
public record ClusterSettings(String nodeId, long heartbeatMs, long nodeTimeoutMs) {

  public static ClusterSettings from(TrawlConfig cfg) {
    return new ClusterSettings(cfg.nodeId(), cfg.heartbeatMs(), cfg.nodeTimeoutMs());
  }
}
