package dev.trawl.job;

import dev.trawl.bus.Addresses;
import dev.trawl.cluster.Members;
import dev.trawl.error.ErrorKind;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Host limits exact across a cluster. Each host's shared state ({@link HostLimits}) lives on one
 * node, its owner: the live Trawl node that ranks highest for it by rendezvous hashing of node ids,
 * so every node computes the same owner and hosts spread evenly. Every try to a host needs a
 * permit from its owner; the owner counts it in flight from the grant until its release, which
 * carries how the try went (status, Retry-After, latency), so a 429 answered to any node's fetch
 * holds the host for all. A node asks for one permit per host at a time; waiting requests queue
 * at the owner per host, first come first served, the owner's own jobs included, which gives every
 * coordinator its turn. On one node, or for a host it owns with nobody waiting, a start is decided
 * at once, with no message.
 *
 * <p>When a node leaves, the hosts it owned get new owners who know nothing of the tries in flight
 * under it: for the next {@code cluster.nodeTimeoutMs} they count those hosts as full, so a restart
 * of the gate is conservative. (A node that joins takes over some hosts while the old owner still
 * has tries in flight there: until those end, the host may see up to twice its limit.) Confined to
 * the coordinator's event loop.
 */
final class HostPermits {

  /** A permit granted and not used this long (its job ended meanwhile) is given back. */
  private static final long UNUSED_PERMIT_MS = 1_000;
  /**
   * A request for a permit waits at the owner until it is its turn (a Retry-After may hold a host
   * for minutes); it is given up only when the owner is lost ({@link #nodeLost}).
   */
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(15 * 60_000);

  private final Vertx vertx;
  private final EventBus bus;
  private final String self;
  private final Members members;
  private final HostLimits local;
  private final Runnable pump;
  private final long takeOverMs;
  /** Hosts owned elsewhere, as this node holds them: permits granted, tries in flight, by host. */
  private final Map<String, Remote> remote = new HashMap<>();
  /** Hosts this node owns: the requests waiting for a permit, and the permits its own jobs were given. */
  private final Map<String, Owned> owned = new HashMap<>();
  private List<String> view = List.of();
  private long viewChangedNanos;

  private static final class Remote {
    final String owner;
    int permits;
    long grantedNanos;
    boolean asking;

    Remote(String owner) {
      this.owner = owner;
    }
  }

  private record Waiter(Message<JsonObject> message, String from, boolean obeysRobots) {
  }

  private static final class Owned {
    /** Waiting for a permit, first come first served: another node's request, or null for this node's jobs. */
    final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    /** Permits granted to other nodes and not given back yet, by node: a node lost gives them back. */
    final Map<String, Integer> outstanding = new HashMap<>();
    boolean localQueued;
    int localPermits;
    long localGrantedNanos;
    long timer = -1;
  }

  HostPermits(Vertx vertx, String self, Members members, HostLimits local, Runnable pump, long takeOverMs) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.self = self;
    this.members = members;
    this.local = local;
    this.pump = pump;
    this.takeOverMs = takeOverMs;
    vertx.setPeriodic(UNUSED_PERMIT_MS, id -> returnUnused());
  }

  HostLimits local() {
    return local;
  }

  // ---- who owns a host -------------------------------------------------------------------------

  /** The live node that ranks highest for {@code host} (this one when alone). */
  String ownerOf(String host) {
    List<String> alive = members.aliveIds();
    if (alive.size() <= 1) {
      return self;
    }
    if (!alive.equals(view)) {
      if (!alive.containsAll(view)) {
        viewChangedNanos = System.nanoTime(); // a node left: what it owned was in flight somewhere
      }
      view = alive;
    }
    String best = self;
    long bestScore = Long.MIN_VALUE;
    for (String node : alive) {
      long score = SeenSet.hash(host + "|" + node);
      if (score > bestScore || score == bestScore && node.compareTo(best) < 0) {
        best = node;
        bestScore = score;
      }
    }
    return best;
  }

  /**
   * Just after a node left, the hosts it owned have new owners who do not know what it had in
   * flight: they wait {@code cluster.nodeTimeoutMs} (the tries it had dispatched are refetched or
   * answered by then).
   */
  private boolean takingOver(long now) {
    return viewChangedNanos != 0 && now - viewChangedNanos < takeOverMs * 1_000_000;
  }

  // ---- what a job's politeness asks ------------------------------------------------------------

  boolean mayStart(String host, long now, boolean obeysRobots) {
    String owner = ownerOf(host);
    if (owner.equals(self)) {
      Owned o = owned.get(host);
      if (o != null && o.localPermits > 0) {
        return true;
      }
      if ((o == null || o.queue.isEmpty()) && local.mayStart(host, now, obeysRobots) && !takingOver(now)) {
        return true;
      }
      queueLocal(host, obeysRobots);
      return false;
    }
    Remote r = remote.get(host);
    if (r == null || !r.owner.equals(owner) && r.permits == 0 && !r.asking) {
      r = new Remote(owner);
      remote.put(host, r);
    }
    if (r.permits > 0) {
      return true;
    }
    if (!r.asking) {
      ask(host, r, obeysRobots);
    }
    return false;
  }

  /**
   * A try starts on the permit {@link #mayStart} found. Returns the node that granted it (this one
   * for a host it owns): the permit goes back there, whoever owns the host by then.
   */
  String started(String host, long now) {
    Remote r = remote.get(host);
    if (r != null && r.permits > 0) {
      r.permits--;
      return r.owner;
    }
    Owned o = owned.get(host);
    if (o != null && o.localPermits > 0) {
      o.localPermits--; // counted in flight when it was granted
      return self;
    }
    local.started(host, now);
    return self;
  }

  /** A try ended with an answer (status 0 without one); its permit goes back to the node that granted it. */
  void finished(String host, String grantor, long now, int status, ErrorKind kind, long elapsedMs, long retryAfterMs) {
    if (!self.equals(grantor)) {
      if (members.isAlive(grantor)) {
        bus.send(Addresses.atNode(Addresses.HOSTS_RELEASE, grantor), new JsonObject().put("host", host).put("from", self)
          .put("status", status).put("kind", kind == null ? null : kind.wire()).put("elapsedMs", elapsedMs)
          .put("retryAfterMs", retryAfterMs));
      }
      Remote r = remote.get(host);
      if (r != null) {
        forgetIfIdle(host, r);
      }
      return;
    }
    local.finished(host, now, status, kind, elapsedMs, retryAfterMs);
    serve(host);
  }

  /** A try dropped without an answer: its permit goes back to the node that granted it. */
  void released(String host, String grantor) {
    if (!self.equals(grantor)) {
      if (members.isAlive(grantor)) {
        bus.send(Addresses.atNode(Addresses.HOSTS_RELEASE, grantor), new JsonObject().put("host", host).put("from", self));
      }
      return;
    }
    local.released(host);
    serve(host);
  }

  long nextStartNanos(String host, boolean obeysRobots) {
    return ownerOf(host).equals(self) ? local.nextStartNanos(host, obeysRobots) : -1; // a grant wakes the job
  }

  void crawlDelay(String host, long delayMs) {
    local.crawlDelay(host, delayMs); // an owner elsewhere hears it with the next permit asked
  }

  // ---- asking another node ---------------------------------------------------------------------

  private void ask(String host, Remote r, boolean obeysRobots) {
    r.asking = true;
    JsonObject call = new JsonObject().put("host", host).put("obeysRobots", obeysRobots).put("from", self)
      .put("crawlDelayMs", local.crawlDelayOf(host));
    bus.<JsonObject>request(Addresses.atNode(Addresses.HOSTS_PERMIT, r.owner), call, ASK).onComplete(reply -> {
      r.asking = false;
      if (remote.get(host) != r) {
        return; // its owner was lost meanwhile: what it grants now goes nowhere
      }
      if (reply.succeeded()) {
        r.permits++;
        r.grantedNanos = System.nanoTime();
      }
      pump.run(); // granted: a job starts; not (the owner is gone or slow): the next step asks again
    });
  }

  private void forgetIfIdle(String host, Remote r) {
    if (r.permits == 0 && !r.asking && !ownerOf(host).equals(r.owner)) {
      remote.remove(host); // its owner changed: the next try asks the new one
    }
  }

  // ---- owning a host ---------------------------------------------------------------------------

  /** Another node asks for a permit for a host this node owns: granted now, or once it is its turn. */
  void onPermit(Message<JsonObject> message) {
    JsonObject call = message.body();
    String host = call.getString("host");
    local.crawlDelay(host, call.getLong("crawlDelayMs", 0L));
    Owned o = owned.computeIfAbsent(host, k -> new Owned());
    o.queue.add(new Waiter(message, call.getString("from"), call.getBoolean("obeysRobots", true)));
    serve(host);
  }

  void onRelease(Message<JsonObject> message) {
    JsonObject call = message.body();
    String host = call.getString("host");
    Owned o = owned.get(host);
    String from = call.getString("from");
    if (o != null && from != null) {
      o.outstanding.computeIfPresent(from, (node, n) -> n > 1 ? n - 1 : null);
    }
    if (call.containsKey("status")) {
      String kind = call.getString("kind");
      local.finished(host, System.nanoTime(), call.getInteger("status", 0), kind == null ? null : ErrorKind.ofWire(kind),
        call.getLong("elapsedMs", 0L), call.getLong("retryAfterMs", -1L));
    } else {
      local.released(host);
    }
    serve(host);
  }

  private void queueLocal(String host, boolean obeysRobots) {
    Owned o = owned.computeIfAbsent(host, k -> new Owned());
    if (!o.localQueued) {
      o.localQueued = true;
      o.queue.add(new Waiter(null, self, obeysRobots));
      serve(host);
    }
  }

  /** Grants permits to those waiting, in turn, while the host allows; waits for the time it needs otherwise. */
  private void serve(String host) {
    Owned o = owned.get(host);
    if (o == null) {
      return;
    }
    long now = System.nanoTime();
    boolean servedLocal = false;
    while (!o.queue.isEmpty() && !takingOver(now) && local.mayStart(host, now, o.queue.peek().obeysRobots())) {
      Waiter next = o.queue.poll();
      local.started(host, now);
      if (next.message() == null) {
        o.localQueued = false;
        o.localPermits++;
        o.localGrantedNanos = now;
        servedLocal = true;
      } else if (!members.isAlive(next.from())) {
        local.released(host); // its node is gone: the permit goes to the next
      } else {
        o.outstanding.merge(next.from(), 1, Integer::sum);
        next.message().reply(new JsonObject().put("granted", true));
      }
    }
    if (!o.queue.isEmpty()) {
      scheduleServe(host, o, now);
    } else if (o.localPermits == 0 && o.timer < 0 && o.outstanding.isEmpty()) {
      owned.remove(host);
    }
    if (servedLocal) {
      vertx.runOnContext(v -> pump.run());
    }
  }

  private void scheduleServe(String host, Owned o, long now) {
    if (o.timer >= 0) {
      return;
    }
    long at = takingOver(now) ? viewChangedNanos + takeOverMs * 1_000_000
      : local.nextStartNanos(host, o.queue.peek().obeysRobots());
    if (at < 0) {
      return; // held by tries in flight or a pause: a release or an override serves it
    }
    long waitMs = Math.max(1, (at - now + 999_999) / 1_000_000);
    o.timer = vertx.setTimer(waitMs, id -> {
      o.timer = -1;
      serve(host);
    });
  }

  /**
   * A node is gone: the permits it held for hosts this node owns come back, its requests waiting
   * here are dropped, and hosts it owned are asked of their new owners from now on.
   */
  void nodeLost(String node) {
    for (String host : List.copyOf(owned.keySet())) {
      Owned o = owned.get(host);
      Integer held = o.outstanding.remove(node);
      for (int i = 0; held != null && i < held; i++) {
        local.released(host);
      }
      o.queue.removeIf(waiter -> node.equals(waiter.from()));
      serve(host);
    }
    remote.values().removeIf(r -> r.owner.equals(node));
    pump.run();
  }

  /** A run-time override changed a host: those waiting may go now. */
  void changed(String host) {
    serve(host);
  }

  /** Permits granted and not used (their job ended, or found other work) go back to the owner. */
  private void returnUnused() {
    long now = System.nanoTime();
    for (Iterator<Map.Entry<String, Remote>> it = remote.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Remote> e = it.next();
      Remote r = e.getValue();
      if (r.permits > 0 && now - r.grantedNanos > UNUSED_PERMIT_MS * 1_000_000) {
        for (; r.permits > 0; r.permits--) {
          bus.send(Addresses.atNode(Addresses.HOSTS_RELEASE, r.owner), new JsonObject().put("host", e.getKey())
            .put("from", self));
        }
      }
    }
    for (String host : List.copyOf(owned.keySet())) {
      Owned o = owned.get(host);
      if (o.localPermits > 0 && now - o.localGrantedNanos > UNUSED_PERMIT_MS * 1_000_000) {
        for (; o.localPermits > 0; o.localPermits--) {
          local.released(host);
        }
        serve(host);
      }
    }
  }
}
