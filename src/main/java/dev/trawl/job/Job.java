package dev.trawl.job;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's live state on its coordinating node: counters, what is in flight, and the signals its
 * mode is decided by. Only the coordinator's event loop touches it.
 */
final class Job {

  /** A request between its first try and its result. */
  static final class Pending {
    final RequestSpec request;
    int attempts;
    long dispatchId;
    String startedAt;
    long startNanos;
    long retryTimer = -1;

    Pending(RequestSpec request) {
      this.request = request;
    }
  }

  final String id;
  final JobSpec spec;
  final String output;
  final Instant createdAt = Instant.now();
  final Map<Long, Pending> inFlight = new HashMap<>();
  final Map<Long, Pending> waitingRetry = new HashMap<>();
  final ArrayDeque<Pending> retryReady = new ArrayDeque<>();
  final Map<String, String> cookies;
  final ResultSignals signals;
  RequestSource source;
  JobState state = JobState.QUEUED;
  /** Set when the mode, the deadline or a cancel has decided the end; the rest is draining. */
  JobState ending;
  Instant startedAt;
  Instant endedAt;
  long total;
  long ok;
  long failed;
  long cancelled;
  long nextSeq;
  long deadlineTimer = -1;
  JsonObject winner;
  JsonObject firstError;
  private final Promise<JsonObject> finished = Promise.promise();

  Job(String id, JobSpec spec, String output, long total) {
    this.id = id;
    this.spec = spec;
    this.output = output;
    this.total = total;
    this.cookies = new LinkedHashMap<>(spec.cookies());
    this.signals = new ResultSignals(spec.mode());
  }

  long done() {
    return ok + failed + cancelled;
  }

  /** Every request has its result and the source has nothing left. */
  boolean allSettled() {
    return source != null && source.exhausted() && inFlight.isEmpty() && waitingRetry.isEmpty() && retryReady.isEmpty();
  }

  /** Completes with the summary once the job has ended and its files are closed. */
  Future<JsonObject> finished() {
    return finished.future();
  }

  void finish(JsonObject summary) {
    finished.tryComplete(summary);
  }

  JsonObject summary() {
    Instant end = endedAt == null ? Instant.now() : endedAt;
    long elapsedMs = startedAt == null ? 0 : end.toEpochMilli() - startedAt.toEpochMilli();
    JsonObject summary = new JsonObject()
      .put("id", id).put("name", spec.name()).put("state", state.wire()).put("mode", spec.mode().wire())
      .put("total", total).put("done", done()).put("ok", ok).put("failed", failed).put("cancelled", cancelled)
      .put("pending", Math.max(0, total - done()))
      .put("startedAt", startedAt == null ? null : startedAt.toString())
      .put("endedAt", endedAt == null ? null : endedAt.toString())
      .put("elapsedMs", elapsedMs)
      .put("rate", elapsedMs <= 0 ? 0.0 : Math.round(done() * 10_000.0 / elapsedMs) / 10.0)
      .put("output", output);
    if (spec.mode() == Mode.ANY || spec.mode() == Mode.FIRST) {
      summary.put("winner", winner);
    }
    if (spec.mode() == Mode.ALL) {
      summary.put("firstError", firstError);
    }
    return summary;
  }
}
