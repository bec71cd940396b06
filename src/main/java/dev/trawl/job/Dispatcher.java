package dev.trawl.job;

import dev.trawl.bus.Addresses;
import dev.trawl.bus.ReplyCodes;
import dev.trawl.cluster.Members;
import dev.trawl.fetch.FetchOutcome;
import dev.trawl.fetch.FetchRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Sends each try to the fetchers of one node, chosen so that every live node carries the same
 * share of its capacity, and sees each try answered exactly once: when its node is lost (killed,
 * frozen, or refusing work because it stops) the try is sent again to another node, and whichever
 * answer comes first is the answer; a later one finds the try settled and is dropped.
 */
final class Dispatcher {

  /** How long a fetcher may take beyond a try's own total deadline before it is presumed lost. */
  private static final long REPLY_GRACE_MS = 10_000;

  /** One try on its way: the node it was last sent to, and how often it was sent. */
  private static final class Outstanding {
    final FetchRequest request;
    final Promise<FetchOutcome> answer = Promise.promise();
    String node;
    int sends;
    /** Nodes that refused this try outright; it is not sent to them again. */
    final Set<String> refusedBy = new HashSet<>();

    Outstanding(FetchRequest request) {
      this.request = request;
    }
  }

  private final EventBus bus;
  private final Members members;
  private final Consumer<FetchRequest> onResend;
  private final Predicate<FetchRequest> wanted;
  private final Map<String, Map<Outstanding, Boolean>> byNode = new HashMap<>();
  private int inFlight;
  private long resent;
  private int rotation;

  /**
   * @param onResend told of every try sent again because the node fetching it was lost
   * @param wanted   whether a lost try is still worth fetching (its job may have ended meanwhile)
   */
  Dispatcher(EventBus bus, Members members, Consumer<FetchRequest> onResend, Predicate<FetchRequest> wanted) {
    this.bus = bus;
    this.members = members;
    this.onResend = onResend;
    this.wanted = wanted;
  }

  /** The answer to one try, from whichever node fetched it. */
  Future<FetchOutcome> fetch(FetchRequest request) {
    Outstanding try_ = new Outstanding(request);
    inFlight++;
    send(try_);
    return try_.answer.future();
  }

  /** Tries sent and not answered, over all nodes. */
  int inFlight() {
    return inFlight;
  }

  /** Tries sent again because the node fetching them was lost or stopped half-way. */
  long resent() {
    return resent;
  }

  /** The summed {@code fetch.maxInFlight} of every node that takes work now. */
  int capacity() {
    int total = 0;
    for (Members.Member member : members.fetchers()) {
      total += member.capacity();
    }
    return Math.max(1, total);
  }

  /** Whether some node has a free slot, by this coordinator's count. */
  boolean hasRoom() {
    return inFlight < capacity();
  }

  /** Every try the lost node had is sent to another. */
  void nodeLost(String node) {
    Map<Outstanding, Boolean> lost = byNode.remove(node);
    if (lost == null) {
      return;
    }
    for (Outstanding try_ : List.copyOf(lost.keySet())) {
      if (wanted.test(try_.request)) {
        resend(try_);
      } else {
        inFlight--;
        try_.answer.fail("node " + node + " was lost; the try's job has ended, so it is not fetched again");
      }
    }
  }

  private void resend(Outstanding try_) {
    resent++;
    onResend.accept(try_.request);
    send(try_);
  }

  private void send(Outstanding try_) {
    String node = pick(try_);
    if (node == null) {
      inFlight--;
      try_.answer.fail("every node refused this try (stopping or gone): " + try_.refusedBy);
      return;
    }
    try_.node = node;
    int sendNo = ++try_.sends;
    byNode.computeIfAbsent(node, n -> new LinkedHashMap<>()).put(try_, Boolean.TRUE);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(try_.request.timeouts().totalMs() + REPLY_GRACE_MS);
    bus.<FetchOutcome>request(Addresses.atNode(Addresses.FETCH, node), try_.request, options).onComplete(reply -> {
      if (try_.answer.future().isComplete() || try_.sends != sendNo) {
        return; // answered already, or sent again elsewhere: a late or stale reply
      }
      if (reply.failed() && handedBack(reply.cause())) {
        forget(try_);
        try_.refusedBy.add(node);
        if (startedThere(reply.cause())) {
          resend(try_);
        } else {
          send(try_); // it never started there: not a re-fetch
        }
        return;
      }
      forget(try_);
      inFlight--;
      if (reply.succeeded()) {
        try_.answer.complete(reply.result().body());
      } else {
        try_.answer.fail(reply.cause());
      }
    });
  }

  /**
   * The node gave the try back unanswered: nobody listens there any more, it is stopping and took
   * no new work, or it stopped half-way through.
   */
  private static boolean handedBack(Throwable cause) {
    return cause instanceof ReplyException e && (e.failureType() == ReplyFailure.NO_HANDLERS
      || (e.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && (e.failureCode() == ReplyCodes.FETCH_DRAINING || e.failureCode() == ReplyCodes.FETCH_ABANDONED)));
  }

  private static boolean startedThere(Throwable cause) {
    return cause instanceof ReplyException e && e.failureCode() == ReplyCodes.FETCH_ABANDONED;
  }

  private void forget(Outstanding try_) {
    Map<Outstanding, Boolean> tries = byNode.get(try_.node);
    if (tries != null) {
      tries.remove(try_);
    }
  }

  /**
   * The open node with the smallest share of its capacity in use by this coordinator; ties go
   * round in turn. This node itself when no node is open (it is stopping and ends its jobs);
   * null when every candidate has refused the try.
   */
  private String pick(Outstanding try_) {
    List<Members.Member> open = members.fetchers();
    if (open.isEmpty()) {
      return try_.refusedBy.contains(members.self()) ? null : members.self();
    }
    rotation++;
    String best = null;
    double bestLoad = Double.MAX_VALUE;
    for (int i = 0; i < open.size(); i++) {
      Members.Member member = open.get((rotation + i) % open.size());
      if (try_.refusedBy.contains(member.id())) {
        continue;
      }
      Map<Outstanding, Boolean> tries = byNode.get(member.id());
      double load = (tries == null ? 0 : tries.size()) / (double) Math.max(1, member.capacity());
      if (load < bestLoad) {
        best = member.id();
        bestLoad = load;
      }
    }
    return best;
  }
}
