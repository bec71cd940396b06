package dev.trawl.cluster;

import dev.trawl.bus.Addresses;
import dev.trawl.config.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Trawl nodes this node knows to be alive, from the beats every node publishes on
 * {@code trawl.node.beat}. A node is lost when it has not beaten for {@code cluster.nodeTimeoutMs}
 * (a frozen node), or at once when the cluster manager no longer lists it (a killed one). The same
 * code runs unclustered, where this node is the only member.
 */
public final class Members {

  /** One node as its last beat described it. */
  public record Member(String id, String clusterNodeId, int capacity, boolean draining, long seenNanos) {

    static Member of(JsonObject beat, long now) {
      return new Member(beat.getString("node"), beat.getString("clusterNodeId"), beat.getInteger("capacity"),
        beat.getBoolean("draining"), now);
    }
  }

  private final Vertx vertx;
  private final String self;
  private final int capacity;
  private final long heartbeatMs;
  private final long timeoutNanos;
  private final Consumer<String> onLost;
  private final ClusterManager clusterManager;
  private final Map<String, Member> alive = new LinkedHashMap<>();
  private boolean draining;
  private MessageConsumer<JsonObject> beats;
  private long timer = -1;
  private long lastTickNanos = System.nanoTime();

  /**
   * @param settings this node's name, heartbeat and timeout
   * @param capacity this node's {@code fetch.maxInFlight}, announced to the others
   * @param onLost   called once for each node presumed dead, on this verticle's context
   */
  public Members(Vertx vertx, ClusterSettings settings, int capacity, Consumer<String> onLost) {
    this(vertx, settings.nodeId(), capacity, settings.heartbeatMs(), settings.nodeTimeoutMs(), onLost);
  }

  /**
   * @param capacity this node's {@code fetch.maxInFlight}, announced to the others
   * @param onLost   called once for each node presumed dead, on this verticle's context
   */
  public Members(Vertx vertx, String self, int capacity, long heartbeatMs, long timeoutMs, Consumer<String> onLost) {
    this.vertx = vertx;
    this.self = self;
    this.capacity = capacity;
    this.heartbeatMs = heartbeatMs;
    this.timeoutNanos = timeoutMs * 1_000_000;
    this.onLost = onLost;
    this.clusterManager = ((VertxInternal) vertx).clusterManager();
    alive.put(self, Member.of(beat(), System.nanoTime()));
  }

  public Future<Void> start() {
    beats = vertx.eventBus().consumer(Addresses.NODE_BEAT, message -> heard(message.body()));
    timer = vertx.setPeriodic(heartbeatMs, id -> tick());
    return beats.completion().onSuccess(v -> publish());
  }

  public void stop() {
    vertx.cancelTimer(timer);
    if (beats != null) {
      beats.unregister();
    }
  }

  public String self() {
    return self;
  }

  /** From now on this node takes no new fetches; the others learn it at once. */
  public void drain() {
    draining = true;
    alive.put(self, Member.of(beat(), System.nanoTime()));
    publish();
  }

  public boolean isAlive(String node) {
    return alive.containsKey(node);
  }

  /** The nodes that take fetches now, this one included unless it is stopping. */
  public List<Member> fetchers() {
    List<Member> open = new ArrayList<>();
    for (Member member : alive.values()) {
      if (!member.draining()) {
        open.add(member);
      }
    }
    return open;
  }

  public List<String> aliveIds() {
    return List.copyOf(alive.keySet());
  }

  private JsonObject beat() {
    return new JsonObject().put("node", self).put("capacity", capacity).put("draining", draining)
      .put("clusterNodeId", clusterManager == null ? null : clusterManager.getNodeId());
  }

  private void publish() {
    vertx.eventBus().publish(Addresses.NODE_BEAT, beat());
  }

  private void heard(JsonObject beat) {
    String node = beat.getString("node");
    if (node == null || node.equals(self)) {
      return;
    }
    Member heard = Member.of(beat, System.nanoTime());
    Member known = alive.put(node, heard);
    if (known != null && !java.util.Objects.equals(known.clusterNodeId(), heard.clusterNodeId())) {
      onLost.accept(node); // the same node.id restarted: what the old process had is lost
    }
    if (known == null) {
      publish(); // a node that just joined learns of this one now, not a heartbeat later
    }
  }

  private void tick() {
    publish();
    long now = System.nanoTime();
    boolean late = now - lastTickNanos > timeoutNanos;
    lastTickNanos = now;
    if (late) {
      return; // this node was frozen itself: the others' beats are still queued, not missing
    }
    Set<String> inCluster = clusterManager == null ? null : new HashSet<>(clusterManager.getNodes());
    for (Member member : List.copyOf(alive.values())) {
      if (member.id().equals(self)) {
        continue;
      }
      boolean silent = now - member.seenNanos() > timeoutNanos;
      boolean leftCluster = inCluster != null && member.clusterNodeId() != null
        && !inCluster.contains(member.clusterNodeId());
      if (silent || leftCluster) {
        alive.remove(member.id());
        onLost.accept(member.id());
      }
    }
  }
}
