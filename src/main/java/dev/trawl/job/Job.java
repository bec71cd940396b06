package dev.trawl.job;

import dev.trawl.web.HostKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
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
    /** {@code host:port}, the unit of per-host limits. */
    final String host;
    int attempts;
    long dispatchId;
    String startedAt;
    long startNanos;
    long retryTimer = -1;
    /** Set once robots.txt has allowed it (or the job ignores robots.txt). */
    boolean robotsChecked;

    Pending(RequestSpec request) {
      this.request = request;
      this.host = HostKey.of(request.url());
    }
  }

  final String id;
  /** The node coordinating the job (this one). */
  final String coordinator;
  /** The spec; its inline requests are dropped when the job finishes (only the summary is kept). */
  JobSpec spec;
  final String output;
  final Instant createdAt = Instant.now();
  final Map<Long, Pending> inFlight = new HashMap<>();
  final Map<Long, Pending> waitingRetry = new HashMap<>();
  /** Requests that may not start yet: per-host limits, or back from a retry wait. */
  final HostGate<Pending> gate;
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
  /** Tries fetched again because the node fetching them was lost. */
  long refetched;
  long deadlineTimer = -1;
  /** Requests waiting for their origin's robots.txt. */
  int robotsWaiting;
  long wakeTimer = -1;
  JsonObject winner;
  JsonObject firstError;
  private final Promise<JsonObject> finished = Promise.promise();

  Job(String id, String coordinator, JobSpec spec, String output, long total) {
    this.id = id;
    this.coordinator = coordinator;
    this.spec = spec;
    this.output = output;
    this.total = total;
    this.cookies = new LinkedHashMap<>(spec.cookies());
    this.signals = new ResultSignals(spec.mode());
    this.gate = new HostGate<>(spec.limits().perHost(), spec.limits().perHostDelayMs(),
      Math.max(256, 4 * spec.limits().concurrency()));
  }

  long done() {
    return ok + failed + cancelled;
  }

  /** Every request has its result and the source has nothing left. */
  boolean allSettled() {
    return source != null && source.exhausted() && inFlight.isEmpty() && waitingRetry.isEmpty() && gate.parked() == 0
      && robotsWaiting == 0;
  }

  /** Completes with the summary once the job has ended and its files are closed. */
  Future<JsonObject> finished() {
    return finished.future();
  }

  void finish(JsonObject summary) {
    finished.tryComplete(summary);
  }

  /**
   * The summary. A job shows its end state and {@code endedAt} only once its files are closed,
   * so a reader that sees them can read a complete results file.
   */
  JsonObject summary() {
    return state.terminal() ? summary(state, endedAt) : summary(state, null);
  }

  /** The summary as it will read once the job's files are closed. */
  JsonObject finalSummary() {
    return summary(ending, endedAt);
  }

  private JsonObject summary(JobState state, Instant endedAt) {
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
      .put("output", output).put("coordinator", coordinator).put("refetched", refetched);
    if (spec.mode() == Mode.ANY || spec.mode() == Mode.FIRST) {
      summary.put("winner", winner);
    }
    if (spec.mode() == Mode.ALL) {
      summary.put("firstError", firstError);
    }
    return summary;
  }
}
