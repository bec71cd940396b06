package dev.trawl.job;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.BitSet;
import java.util.List;

/**
 * One job's life on its coordinating node: its {@link Phase}, its counters, how its mode is
 * decided, and its summary. Every change goes through a method named for the transition; only
 * the coordinator's event loop calls them.
 */
final class JobRun {

  private final String id;
  /** What the job named by {@code since} learnt of each URL; none unless the job names one. */
  private Validators validators = Validators.NONE;
  /** The job's turn through its proxies; made at the first request. */
  private ProxyRotation proxies;
  /** The node coordinating the job (this one). */
  private final String coordinator;
  private final String output;
  private final Tally tally;
  private final ResultSignals signals;
  private final Promise<JsonObject> finished = Promise.promise();
  /** The spec; its inline requests are dropped once every request has its result. */
  private JobSpec spec;
  private Phase phase = Phase.QUEUED;
  /** How the job ends, once decided. */
  private JobState endState;
  private Instant startedAt;
  private Instant endedAt;
  private JsonObject winner;
  private JsonObject firstError;
  /** Why the job's results could not be written whole; null while they can. */
  private String writeError;
  /** The {@code requestsFile} opened at submit, until the job's source takes it; null for inline requests. */
  private RequestsFile requestsFile;
  /** Paused by a call: no new try starts until it is resumed (tries in flight finish). */
  private boolean paused;
  /** How many times the job was resumed after its node stopped or died. */
  private int resumed;
  /** When the deadline falls (epoch ms), fixed when the job first starts; 0 without a deadline. */
  private long deadlineAt;
  /** What the job had done before its node stopped, until its source takes it; null for a new job. */
  private Resumption resumption;
  /** The summary of a job that ended before this node last started: all it keeps. */
  private JsonObject endedSummary;

  /** What a resumed job had done: the requests with their line, and the pages its crawl had found. */
  record Resumption(BitSet done, List<String> pages) {
  }

  JobRun(String id, String coordinator, JobSpec spec, String output, long total) {
    this(id, coordinator, spec, output, total, null);
  }

  /** A job whose requests are read from {@code requestsFile}, the handle opened and counted at submit. */
  JobRun(String id, String coordinator, JobSpec spec, String output, long total, RequestsFile requestsFile) {
    this.id = id;
    this.requestsFile = requestsFile;
    this.coordinator = coordinator;
    this.spec = spec;
    this.output = output;
    this.tally = new Tally(total);
    this.signals = new ResultSignals(spec.mode());
  }

  // ---- transitions -----------------------------------------------------------------------------

  /**
   * A job read back from its files after a restart, in the state it had, its counts those of its
   * results file. What decided its end (a cancel, the deadline, the mode) decides it again.
   */
  static JobRun resumed(String coordinator, JobSpec spec, JsonObject record, JsonObject state,
                        ResultsLog.Progress progress, JobStore.Journal journal, RequestsFile file) {
    long total = record.getLong("total") + journal.pages().size();
    JobRun run = new JobRun(record.getString("id"), coordinator, spec, record.getString("output"), total, file);
    run.tally.restore(progress.ok(), progress.failed(), progress.cancelled(), state.getLong("refetched", 0L));
    BitSet inFlight = (BitSet) journal.started().clone();
    inFlight.andNot(progress.done());
    run.tally.refetched(inFlight.cardinality()); // in flight when the node stopped: fetched again
    run.resumed = state.getInteger("resumed", 0) + 1;
    // A job whose end was decided while paused goes on ending: a pause holds back new tries only.
    run.paused = state.getBoolean("paused", false) && !state.containsKey("endState");
    run.deadlineAt = state.getLong("deadlineAt", 0L);
    String startedAt = state.getString("startedAt");
    run.startedAt = startedAt == null ? null : Instant.parse(startedAt);
    run.resumption = new Resumption(progress.done(), journal.pages());
    run.replay(progress, state.getString("endState"));
    return run;
  }

  /** The mode sees again what the file holds, in the order it decides by; a recorded stop stays. */
  private void replay(ResultsLog.Progress progress, String endState) {
    if (spec.mode() == Mode.ANY) {
      winner = progress.firstOk();
    } else if (spec.mode() == Mode.FIRST) {
      winner = progress.first();
    } else if (spec.mode() == Mode.ALL) {
      firstError = progress.firstError();
    }
    boolean firstOk = progress.first() != null && progress.first().equals(progress.firstOk());
    if (firstOk) {
      signals.onOk();
    }
    if (progress.failed() + progress.cancelled() > 0) {
      signals.onFailure();
    }
    if (progress.ok() > 0) {
      signals.onOk();
    }
    if (endState != null) {
      signals.stop(JobState.fromWire(endState));
    }
  }

  /** A job that ended before this node last started: only its summary is kept. */
  static JobRun ended(String coordinator, JsonObject summary) {
    JobRun run = new JobRun(summary.getString("id"), coordinator, JobSpec.named(summary.getString("name", "")),
      summary.getString("output"), summary.getLong("total", 0L));
    run.phase = Phase.DONE;
    run.endedSummary = summary;
    run.finished.complete(summary);
    return run;
  }

  /** QUEUED → RUNNING: it has a slot. A resumed job keeps when it first started, and so its deadline. */
  void start() {
    move(Phase.QUEUED, Phase.RUNNING);
    if (startedAt == null) {
      startedAt = Instant.now();
      deadlineAt = spec.deadlineMs() > 0 ? startedAt.toEpochMilli() + spec.deadlineMs() : 0;
    }
  }

  /** When the deadline falls (epoch ms); 0 without one. */
  long deadlineAt() {
    return deadlineAt;
  }

  /** No new try starts until {@link #unpause}; false when the job cannot be paused (ended, or paused already). */
  boolean pause() {
    if (paused || endIsDecided() || phase == Phase.DONE) {
      return false;
    }
    paused = true;
    return true;
  }

  /** Tries start again; false when the job is not paused (or has ended meanwhile). */
  boolean unpause() {
    if (!paused || endIsDecided() || phase == Phase.DONE) {
      return false;
    }
    paused = false;
    return true;
  }

  /** Paused, and its end not decided: it starts no new try. */
  boolean paused() {
    return paused && !endIsDecided();
  }

  /** What a restart needs to go on as the job was (see {@link JobStore}). */
  JsonObject durableState() {
    // Absent rather than null: JsonObject's getters give null, not their default, for a null value.
    JsonObject state = new JsonObject().put("paused", paused).put("resumed", resumed)
      .put("deadlineAt", deadlineAt).put("refetched", tally.refetchedCount());
    if (startedAt != null) {
      state.put("startedAt", startedAt.toString());
    }
    if (endState != null) {
      state.put("endState", endState.wire());
    }
    return state;
  }

  /** What the job had done before a restart, handed once to its source; null for a new job. */
  Resumption takeResumption() {
    Resumption taken = resumption;
    resumption = null;
    return taken;
  }

  long total() {
    return tally.total();
  }

  /** How many times the job was resumed after a restart (0 for a job that never was). */
  int resumedCount() {
    return resumed;
  }

  /** Completes with the end state once the mode, a cancel, the deadline or a failure decides it. */
  Future<JobState> endDecided() {
    return signals.ending();
  }

  /** A cancel, the deadline, a drain or a failed source: it ends as {@code state} unless already decided. */
  void stop(JobState state) {
    signals.stop(state);
  }

  /** RUNNING → ENDING: no new try starts from now on. */
  void beginEnding(JobState state) {
    move(Phase.RUNNING, Phase.ENDING);
    endState = state;
  }

  /** Every request is settled while running: the mode decides now ({@code join} succeeds, …). */
  void everyRequestSettled() {
    signals.onAllSettled();
  }

  /** ENDING → CLOSING: every request has its line. Returns the summary as it will read once closed. */
  JsonObject beginClosing() {
    move(Phase.ENDING, Phase.CLOSING);
    endedAt = Instant.now();
    spec = spec.withoutRequests();
    validators = Validators.NONE; // a finished job may stay in the table long: it needs neither
    proxies = null;
    return summary(endState, endedAt);
  }

  /**
   * The sink could not write a result (a full disk): the job ends {@code failed} with the reason
   * as its summary's {@code error}, whatever else decided its end. Only the first reason is kept.
   */
  void writeFailed(String why) {
    if (phase == Phase.DONE) {
      return;
    }
    if (writeError == null) {
      writeError = why;
    }
    if (endIsDecided()) {
      endState = JobState.FAILED;
    } else {
      signals.stop(JobState.FAILED);
    }
  }

  /** The summary as it reads once closed, with a write failure the sink reported while closing. */
  JsonObject closedSummary() {
    return summary(endState, endedAt);
  }

  /** CLOSING → DONE: the files are closed; the end state shows from now on. */
  void done(JsonObject summary) {
    move(Phase.CLOSING, Phase.DONE);
    finished.complete(summary);
  }

  private void move(Phase from, Phase to) {
    if (phase != from) {
      throw new IllegalStateException("job " + id + " cannot go from " + phase + " to " + to);
    }
    phase = to;
  }

  // ---- results ---------------------------------------------------------------------------------

  /**
   * Counts a result and returns its {@code seq}. While running, it also feeds the mode: the
   * result may decide the end (see {@link #endDecided()}).
   */
  long settle(Result result) {
    long seq = tally.count(result);
    if (phase == Phase.RUNNING) {
      noteWinnerOrError(result, seq);
      if (result.ok()) {
        signals.onOk();
      } else {
        signals.onFailure();
      }
    }
    return seq;
  }

  private void noteWinnerOrError(Result result, long seq) {
    Mode mode = spec.mode();
    boolean wins = (mode == Mode.ANY && result.ok()) || mode == Mode.FIRST;
    if (wins && winner == null) {
      winner = result.brief(seq);
    }
    if (mode == Mode.ALL && !result.ok() && firstError == null) {
      firstError = result.briefWithError(seq);
    }
  }

  /** The {@code seq} the next {@link #settle} gives: results are numbered 0, 1, … in the order they end. */
  long nextSeq() {
    return tally.done();
  }

  // ---- reading ---------------------------------------------------------------------------------

  String id() {
    return id;
  }

  JobSpec spec() {
    return spec;
  }

  Validators validators() {
    return validators;
  }

  void useValidators(Validators validators) {
    this.validators = validators;
  }

  /** The proxy for this job's next request to {@code url} (its turn through {@code proxy}), or null. */
  dev.trawl.fetch.Proxy proxyFor(String url) {
    if (proxies == null) {
      proxies = new ProxyRotation(spec.proxies());
    }
    return proxies.forUrl(url);
  }

  String output() {
    return output;
  }

  /** The handle opened at submit, handed over once to the source that reads and closes it. */
  RequestsFile takeRequestsFile() {
    RequestsFile taken = requestsFile;
    requestsFile = null;
    return taken;
  }

  /** A crawl found one more page: it gets the job's next index. */
  long addCrawledRequest() {
    return tally.addRequest();
  }

  /** A try was sent again because the node fetching it was lost. */
  void refetched() {
    tally.refetched();
  }

  Phase phase() {
    return phase;
  }

  /** The end is decided (ENDING or later): results no longer feed the mode. */
  boolean endIsDecided() {
    return phase.compareTo(Phase.ENDING) >= 0;
  }

  /** The decided end state; null before {@link #beginEnding}. */
  JobState endState() {
    return endState;
  }

  /** Completes with the summary once the job has ended and its files are closed. */
  Future<JsonObject> finished() {
    return finished.future();
  }

  /**
   * The summary. A job shows its end state and {@code endedAt} only once its files are closed,
   * so a reader that sees them can read a complete results file.
   */
  JsonObject summary() {
    if (endedSummary != null) {
      return endedSummary.copy();
    }
    if (paused()) {
      return summary(JobState.PAUSED, null);
    }
    return switch (phase) {
      case QUEUED -> summary(JobState.QUEUED, null);
      case RUNNING, ENDING, CLOSING -> summary(JobState.RUNNING, null);
      case DONE -> summary(endState, endedAt);
    };
  }

  private JsonObject summary(JobState state, Instant endedAt) {
    Instant end = endedAt == null ? Instant.now() : endedAt;
    long elapsedMs = startedAt == null ? 0 : end.toEpochMilli() - startedAt.toEpochMilli();
    long done = tally.done();
    JsonObject summary = new JsonObject()
      .put("id", id).put("name", spec.name()).put("state", state.wire()).put("mode", spec.mode().wire())
      .put("total", tally.total()).put("done", done).put("ok", tally.ok()).put("failed", tally.failed())
      .put("cancelled", tally.cancelled()).put("pending", Math.max(0, tally.total() - done))
      .put("startedAt", startedAt == null ? null : startedAt.toString())
      .put("endedAt", endedAt == null ? null : endedAt.toString())
      .put("elapsedMs", elapsedMs)
      .put("rate", elapsedMs <= 0 ? 0.0 : Math.round(done * 10_000.0 / elapsedMs) / 10.0)
      .put("output", output).put("coordinator", coordinator).put("refetched", tally.refetchedCount())
      .put("resumed", resumed);
    if (spec.mode() == Mode.ANY || spec.mode() == Mode.FIRST) {
      summary.put("winner", winner);
    }
    if (spec.mode() == Mode.ALL) {
      summary.put("firstError", firstError);
    }
    if (writeError != null) {
      summary.put("error", writeError);
    }
    return summary;
  }
}
