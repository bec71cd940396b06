package dev.trawl.job;

import dev.trawl.bus.Addresses;
import dev.trawl.bus.Rejection;
import dev.trawl.cluster.Members;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Get, cancel and list, answered for any job of the cluster: by this node when it coordinates
 * the job, else forwarded to the node that does, or answered from the cluster's job directory
 * when that node is gone. A forwarded call carries {@code "forwarded": true} and is never
 * forwarded again. Failures are {@link Rejection}s.
 */
final class JobCalls {

  /** A call forwarded to another node (a frozen one may never answer) gives up after this. */
  private static final DeliveryOptions FORWARDED = new DeliveryOptions().setSendTimeout(5_000);

  private final EventBus bus;
  private final String self;
  private final Members members;
  private final JobTable table;
  private final JobDirectory directory;

  JobCalls(EventBus bus, String self, Members members, JobTable table, JobDirectory directory) {
    this.bus = bus;
    this.self = self;
    this.members = members;
    this.table = table;
    this.directory = directory;
  }

  /**
   * {@code local} applied to the job when this node coordinates it; otherwise the answer of the
   * node that does ({@code address} is the call's own), or the directory's when it is gone.
   */
  Future<JsonObject> onJob(Message<JsonObject> message, String address, Function<JobRun, Future<JsonObject>> local) {
    JsonObject call = message.body() == null ? new JsonObject() : message.body();
    String id = call.getString("id");
    JobRun run = table.get(id);
    if (run != null) {
      return local.apply(run);
    }
    if (call.getBoolean("forwarded", false) || id == null) {
      return noJob(id);
    }
    return directory.lookup(id).otherwiseEmpty().compose(entry -> {
      String owner = entry == null ? null : entry.getString("node");
      if (owner == null || owner.equals(self)) {
        return noJob(id);
      }
      if (!members.isAlive(owner)) {
        return orphan(address, id, owner, entry);
      }
      return forward(Addresses.atNode(address, owner), call, id, owner, entry);
    });
  }

  /**
   * A job whose coordinator is not in the cluster: its last known summary for a get; a change
   * (cancel, pause, resume) cannot be made until that node is back, so 503.
   */
  private static Future<JsonObject> orphan(String address, String id, String owner, JsonObject entry) {
    if (address.equals(Addresses.JOBS_GET)) {
      return Future.succeededFuture(JobDirectory.orphanSummary(id, entry));
    }
    return Future.failedFuture(Rejection.unavailable("node " + owner + ", which coordinates job " + id
      + ", is not in the cluster now; it resumes the job when it starts again").asFailure());
  }

  private static Future<JsonObject> noJob(String id) {
    return Future.failedFuture(Rejection.notFound("no job " + id).asFailure());
  }

  private Future<JsonObject> forward(String address, JsonObject call, String id, String owner, JsonObject entry) {
    return bus.<JsonObject>request(address, call.copy().put("forwarded", true), FORWARDED)
      .map(Message::body)
      .recover(error -> {
        Rejection rejection = Rejection.of(error);
        if (rejection != null) {
          return Future.failedFuture(rejection.asFailure());
        }
        if (error instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
          // Frozen or overloaded, not gone: it may well answer again.
          return Future.failedFuture(Rejection.unavailable("node " + owner + ", which coordinates job " + id
            + ", did not answer in time").asFailure());
        }
        return orphan(address, id, owner, entry); // it went away just now
      });
  }

  /** This node's jobs; unless forwarded, also those of every other live node. */
  Future<JsonObject> list(Message<JsonObject> message) {
    JsonArray list = new JsonArray();
    table.all().forEach(run -> list.add(run.summary()));
    if (message.body() != null && message.body().getBoolean("forwarded", false)) {
      return Future.succeededFuture(new JsonObject().put("jobs", list));
    }
    List<Future<Message<JsonObject>>> others = new ArrayList<>();
    for (String node : members.aliveIds()) {
      if (!node.equals(self)) {
        others.add(bus.request(Addresses.atNode(Addresses.JOBS_LIST, node), new JsonObject().put("forwarded", true), FORWARDED));
      }
    }
    return Future.join(others).transform(all -> {
      for (Future<Message<JsonObject>> other : others) {
        if (other.succeeded()) {
          list.addAll(other.result().body().getJsonArray("jobs"));
        }
      }
      return Future.succeededFuture(new JsonObject().put("jobs", list));
    });
  }
}
