package dev.trawl.cluster;

import dev.trawl.config.ClusterSettings;
import dev.trawl.config.ConfigException;
import dev.trawl.config.TrawlConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;

/**
 * A clustered node's hold on its {@code node.id}, deployed before anything that serves an address.
 * Every per-node address ({@code trawl.fetch@<node>}, {@code trawl.jobs.*@<node>}) is named after
 * the node id, so two nodes with one id would split the first one's calls between them. The claim
 * lives in the cluster-wide map {@value #MAP} (node id to the cluster node holding it): the start
 * fails with one line while another live member holds the id, takes over a claim whose member has
 * left the cluster (killed, never released), and is released when the node stops. Unclustered, there
 * is nobody to share the name with, and nothing is claimed.
 */
public final class NodeClaim extends VerticleBase {

  /** The cluster-wide map of claims, node id to the cluster manager's id of the node holding it. */
  public static final String MAP = "trawl.nodes";
  /** Takeovers tried before giving up: each new try means another member claimed the id meanwhile. */
  private static final int ATTEMPTS = 3;

  private String nodeId;
  private String member;
  private AsyncMap<String, String> claims;

  @Override
  public Future<?> start() {
    nodeId = ClusterSettings.from(TrawlConfig.from(config())).nodeId();
    // Vert.x has no public view of the cluster's members; Members reads the same internal API.
    ClusterManager cluster = ((VertxInternal) vertx).clusterManager();
    if (cluster == null) {
      return Future.succeededFuture();
    }
    member = cluster.getNodeId();
    return vertx.sharedData().<String, String>getAsyncMap(MAP)
      .compose(map -> {
        claims = map;
        return claim(cluster, ATTEMPTS);
      });
  }

  /** Takes the id when it is free or its holder has left; fails when a live member holds it. */
  private Future<Void> claim(ClusterManager cluster, int attemptsLeft) {
    return claims.putIfAbsent(nodeId, member).compose(holder -> {
      if (holder == null || holder.equals(member)) {
        return Future.succeededFuture();
      }
      if (cluster.getNodes().contains(holder) || attemptsLeft <= 1) {
        return Future.failedFuture(taken(holder));
      }
      return claims.replaceIfPresent(nodeId, holder, member)
        .compose(replaced -> replaced ? Future.succeededFuture() : claim(cluster, attemptsLeft - 1));
    });
  }

  private ConfigException taken(String holder) {
    return new ConfigException("node.id " + nodeId + " is already used by another member of this cluster (cluster node "
      + holder + "); give every node its own node.id");
  }

  /** Lets the id go, unless another member took it over meanwhile; a failure only leaves a stale claim. */
  @Override
  public Future<?> stop() {
    if (claims == null) {
      return Future.succeededFuture();
    }
    return claims.removeIfPresent(nodeId, member).otherwise(false);
  }
}
