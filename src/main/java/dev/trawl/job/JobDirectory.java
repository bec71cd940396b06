package dev.trawl.job;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.concurrent.TimeUnit;

/**
 * Which node coordinates which job, cluster-wide (a Vert.x {@code AsyncMap}: Hazelcast in a
 * cluster, with a backup on another member, so it outlives any one node; a local map otherwise).
 * Any node reads it to forward a call about a job to its coordinator, and, when that node is gone,
 * to answer for the job itself: with the summary recorded when the job ended, or as lost.
 */
final class JobDirectory {

  private static final String MAP = "trawl.jobs";
  /** Entries outlive a node's own memory of finished jobs ({@code jobs.keepFinished}) by far. */
  private static final long KEEP_MS = TimeUnit.HOURS.toMillis(24);

  /** Null on a node that is not clustered: it alone knows its jobs, for {@code jobs.keepFinished}. */
  private final Future<AsyncMap<String, JsonObject>> map;

  JobDirectory(Vertx vertx) {
    this.map = vertx.isClustered() ? vertx.sharedData().getAsyncMap(MAP) : null;
  }

  /** Records that {@code node} coordinates the job; the reply to a submit waits for it. */
  Future<Void> register(String jobId, String node, String name, String output) {
    if (map == null) {
      return Future.succeededFuture();
    }
    JsonObject entry = new JsonObject().put("node", node).put("name", name).put("output", output);
    return map.compose(m -> m.put(jobId, entry, KEEP_MS));
  }

  /** Records the job's state as it is now ({@code running}, {@code paused}), for other nodes to give if this node goes away. */
  Future<Void> update(String jobId, String node, JsonObject summary) {
    if (map == null) {
      return Future.succeededFuture();
    }
    JsonObject entry = new JsonObject().put("node", node).put("name", summary.getString("name"))
      .put("output", summary.getString("output")).put("state", summary.getString("state"))
      .put("total", summary.getLong("total")).put("startedAt", summary.getString("startedAt"));
    return map.compose(m -> m.put(jobId, entry, KEEP_MS));
  }

  /** Keeps the final summary, so other nodes can still give it if this node goes away. */
  Future<Void> ended(String jobId, String node, JsonObject summary) {
    if (map == null) {
      return Future.succeededFuture();
    }
    JsonObject entry = new JsonObject().put("node", node).put("name", summary.getString("name"))
      .put("output", summary.getString("output")).put("summary", summary);
    return map.compose(m -> m.put(jobId, entry, KEEP_MS));
  }

  /** The entry of a job: {@code node}, {@code name}, {@code output}, and {@code summary} once it ended; null if unknown. */
  Future<JsonObject> lookup(String jobId) {
    return map == null ? Future.succeededFuture() : map.compose(m -> m.get(jobId));
  }

  /**
   * What any node answers for a job whose coordinating node is gone: its final summary, or the
   * last state it was known in; the job resumes when that node starts again on its directory.
   */
  static JsonObject orphanSummary(String jobId, JsonObject entry) {
    String node = entry.getString("node");
    JsonObject ended = entry.getJsonObject("summary");
    if (ended != null) {
      return ended.copy().put("coordinator", node).put("coordinatorGone", true);
    }
    return new JsonObject().put("id", jobId).put("name", entry.getString("name"))
      .put("state", entry.getString("state", JobState.QUEUED.wire())).put("total", entry.getLong("total"))
      .put("startedAt", entry.getString("startedAt")).put("endedAt", null)
      .put("output", entry.getString("output")).put("coordinator", node).put("coordinatorGone", true);
  }
}
