package dev.trawl.job;

import dev.trawl.config.ConfigLoader;
import dev.trawl.config.JobDefaults;
import dev.trawl.config.Timeouts;
import dev.trawl.error.ErrorKind;
import dev.trawl.fetch.FetchOutcome;
import dev.trawl.fetch.FetchRequest;
import dev.trawl.parse.ParseSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A job's life on its coordinator: the forward-only {@link Phase} moves, the summary each phase
 * shows, and how settled results are numbered, counted and fed to the mode. Plain JUnit: a
 * {@link JobRun} holds only promises, which complete in the calling thread without a context.
 */
class JobRunTest {

  private static final JobDefaults DEFAULTS = JobDefaults.of(ConfigLoader.effective(new JsonObject(), Map.of()));
  private static final String STARTED_AT = "2026-11-02T10:00:00Z";

  /** A job of {@code total} inline requests {@code http://a.test/0, /1, …} in {@code mode}. */
  private static JobRun run(String mode, int total) {
    JsonArray requests = new JsonArray();
    for (int i = 0; i < total; i++) {
      requests.add("http://a.test/" + i);
    }
    JobSpec.Parsed parsed = JobSpec.parse(new JsonObject().put("name", "books").put("mode", mode)
      .put("requests", requests), DEFAULTS, 1000, "obey");
    return new JobRun("job-1", "node-a", parsed.spec(), "results/job-1.ndjson", total);
  }

  private static RequestSpec request(int index) {
    return RequestSpec.crawled(index, "http://a.test/" + index, 0);
  }

  /** A request fetched with a 200. */
  private static Result ok(int index) {
    FetchRequest fetch = new FetchRequest("job-1", index, index, "http://a.test/" + index, "GET", Map.of(), null,
      new Timeouts(1_000, 1_000, 5_000), ParseSpec.DEFAULT, false, FetchRequest.Purpose.PAGE, null,
      new dev.trawl.fetch.FetchGuard(true, java.util.Set.of(), 1_048_576, 5));
    JsonObject answered = FetchOutcome.failed(fetch, "node-a", STARTED_AT, 12, ErrorKind.TIMEOUT, "unused").toJson()
      .put("ok", true).put("status", 200).put("finalUrl", fetch.url()).put("errorKind", null).put("errorMessage", null);
    return Result.fetched(new Pending(request(index)), FetchOutcome.fromJson(answered));
  }

  private static Result failed(int index, ErrorKind kind, String message) {
    return Result.unstarted(request(index), kind, message);
  }

  private static Result cancelled(int index) {
    return Result.unstarted(request(index), ErrorKind.CANCELLED, "the job ended (cancelled) before this request started");
  }

  /** One move by its name in the tables; {@code end} is what {@code beginEnding} is told. */
  private static void move(JobRun run, String move, JobState end) {
    switch (move) {
      case "start" -> run.start();
      case "beginEnding" -> run.beginEnding(end);
      case "beginClosing" -> run.beginClosing();
      case "done" -> run.done(new JsonObject());
      default -> throw new IllegalArgumentException("no such move in the table: " + move);
    }
  }

  private static void moves(JobRun run, String moves, JobState end) {
    for (String move : moves.isBlank() ? new String[0] : moves.split(",")) {
      move(run, move.trim(), end);
    }
  }

  // ---- phases ----------------------------------------------------------------------------------

  @Test
  void itGoesFromQueuedThroughRunningEndingAndClosingToDone() {
    JobRun run = run("join", 1);
    List<Phase> seen = new ArrayList<>(List.of(run.phase()));
    for (String step : List.of("start", "beginEnding", "beginClosing", "done")) {
      move(run, step, JobState.SUCCEEDED);
      seen.add(run.phase());
    }
    assertEquals(List.of(Phase.QUEUED, Phase.RUNNING, Phase.ENDING, Phase.CLOSING, Phase.DONE), seen);
  }

  @ParameterizedTest(name = "after [{0}]: {1}")
  @CsvSource(delimiter = '|', textBlock = """
    ''                                   | beginEnding
    ''                                   | beginClosing
    ''                                   | done
    start                                | start
    start                                | beginClosing
    start                                | done
    start,beginEnding                    | start
    start,beginEnding                    | beginEnding
    start,beginEnding                    | done
    start,beginEnding,beginClosing       | beginEnding
    start,beginEnding,beginClosing       | beginClosing
    start,beginEnding,beginClosing,done  | done
    start,beginEnding,beginClosing,done  | start
    """)
  void anyOtherMoveThanTheNextOneThrows(String before, String illegal) {
    JobRun run = run("join", 1);
    moves(run, before, JobState.SUCCEEDED);
    assertThrows(IllegalStateException.class, () -> move(run, illegal, JobState.SUCCEEDED));
  }

  @Test
  void anIllegalMoveSaysWhereTheJobIsAndWhereItCannotGo() {
    JobRun run = run("join", 1);
    run.start();
    IllegalStateException refused = assertThrows(IllegalStateException.class, run::beginClosing);
    assertEquals("job job-1 cannot go from RUNNING to CLOSING", refused.getMessage());
  }

  @Test
  void anIllegalMoveLeavesThePhaseAsItWas() {
    JobRun run = run("join", 1);
    run.start();
    assertThrows(IllegalStateException.class, run::beginClosing);
    assertEquals(Phase.RUNNING, run.phase());
  }

  // ---- the summary -----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}, ending as {1}: state {2}, endedAt shown: {3}")
  @CsvSource(delimiter = '|', textBlock = """
    ''                                   | SUCCEEDED | queued    | false
    start                                | SUCCEEDED | running   | false
    start,beginEnding                    | FAILED    | running   | false
    start,beginEnding,beginClosing       | FAILED    | running   | false
    start,beginEnding,beginClosing,done  | FAILED    | failed    | true
    start,beginEnding,beginClosing,done  | CANCELLED | cancelled | true
    start,beginEnding,beginClosing,done  | EXPIRED   | expired   | true
    """)
  void theSummaryShowsTheEndStateAndEndedAtOnlyOnceDone(String moves, JobState end, String state, boolean endedAtShown) {
    JobRun run = run("join", 1);
    moves(run, moves, end);
    JsonObject summary = run.summary();
    assertEquals(List.of(state, endedAtShown), List.of(summary.getString("state"), summary.getString("endedAt") != null));
  }

  @Test
  void beginClosingReturnsTheSummaryAsItWillReadOnceDone() {
    JobRun run = run("join", 1);
    run.start();
    run.beginEnding(JobState.CANCELLED);
    JsonObject closing = run.beginClosing();
    assertEquals(List.of("cancelled", true), List.of(closing.getString("state"), closing.getString("endedAt") != null));
  }

  // ---- results ---------------------------------------------------------------------------------

  @Test
  void resultsAreNumberedZeroOneTwoInTheOrderTheyAreSettled() {
    JobRun run = run("join", 3);
    run.start();
    List<Long> seqs = List.of(run.settle(failed(2, ErrorKind.TIMEOUT, "no answer in 5000 ms")), run.settle(ok(0)),
      run.settle(cancelled(1)));
    assertEquals(List.of(0L, 1L, 2L), seqs);
  }

  @Test
  void resultsAreCountedAsOkFailedOrCancelled() {
    JobRun run = run("join", 5);
    run.start();
    run.settle(ok(0));
    run.settle(failed(1, ErrorKind.BLOCKED, "robots.txt disallows it"));
    run.settle(ok(2));
    run.settle(cancelled(3));
    JsonObject summary = run.summary();
    assertEquals(Map.of("ok", 2L, "failed", 1L, "cancelled", 1L, "done", 4L, "pending", 1L),
      Map.of("ok", summary.getLong("ok"), "failed", summary.getLong("failed"), "cancelled", summary.getLong("cancelled"),
        "done", summary.getLong("done"), "pending", summary.getLong("pending")));
  }

  @Test
  void inModeAllTheFirstFailureBecomesTheFirstError() {
    JobRun run = run("all", 3);
    run.start();
    run.settle(ok(0));
    run.settle(failed(1, ErrorKind.BLOCKED, "robots.txt disallows it"));
    run.settle(failed(2, ErrorKind.TIMEOUT, "no answer in 5000 ms"));
    assertEquals(new JsonObject("""
        {"seq": 1, "index": 1, "url": "http://a.test/1", "status": null,
         "error": {"kind": "blocked", "message": "robots.txt disallows it"}}"""),
      run.summary().getJsonObject("firstError"));
  }

  @Test
  void inModeAllAFailureWhileRunningDecidesTheEndAsFailed() {
    JobRun run = run("all", 3);
    run.start();
    Future<JobState> end = run.endDecided();
    run.settle(ok(0));
    run.settle(failed(1, ErrorKind.BLOCKED, "robots.txt disallows it"));
    assertEquals(JobState.FAILED, end.result());
  }

  @Test
  void onceTheEndIsDecidedAResultIsCountedButNoLongerFeedsTheMode() {
    JobRun run = run("all", 3);
    run.start();
    run.stop(JobState.CANCELLED);
    run.beginEnding(JobState.CANCELLED);
    run.settle(failed(0, ErrorKind.TIMEOUT, "no answer in 5000 ms"));
    JsonObject summary = run.summary();
    assertEquals(List.of(1L, true), List.of(summary.getLong("failed"), summary.getValue("firstError") == null));
  }

  @Test
  void inModeAnyTheFirstOkBecomesTheWinner() {
    JobRun run = run("any", 3);
    run.start();
    run.settle(failed(0, ErrorKind.TIMEOUT, "no answer in 5000 ms"));
    run.settle(ok(2));
    run.settle(ok(1));
    assertEquals(new JsonObject("""
        {"seq": 1, "index": 2, "url": "http://a.test/2", "status": 200}"""),
      run.summary().getJsonObject("winner"));
  }

  // ---- resumed after a restart -------------------------------------------------------------------

  private static JobRun resumed(String mode, JsonObject state, ResultsLog.Progress progress, JobStore.Journal journal) {
    JobRun fresh = run(mode, 10);
    JsonObject record = new JsonObject().put("id", "job-1").put("output", "results/job-1.jsonl").put("total", 10);
    return JobRun.resumed("node-b", fresh.spec(), record, state, progress, journal, null);
  }

  private static ResultsLog.Progress progress(long ok, long failed, JsonObject first, JsonObject firstOk, int... done) {
    java.util.BitSet set = new java.util.BitSet();
    for (int index : done) {
      set.set(index);
    }
    return new ResultsLog.Progress(set, ok + failed, ok, failed, 0, firstOk, first, null);
  }

  @Test
  void aResumedJobCountsItsFileAndWhatWasInFlightAndKeepsWhenItStarted() {
    java.util.BitSet started = new java.util.BitSet();
    started.set(0, 5); // 0..4 started, 0..2 have their line: 3 and 4 were in flight
    JsonObject state = new JsonObject().put("startedAt", STARTED_AT).put("resumed", 1).put("refetched", 2)
      .put("deadlineAt", 1_234L);
    JobRun run = resumed("join", state, progress(3, 0, null, null, 0, 1, 2), new JobStore.Journal(started,
      List.of("10\t1\thttp://a.test/found")));
    run.start();

    JsonObject summary = run.summary();
    assertEquals(11, summary.getLong("total"), "the page the crawl had found is one more request");
    assertEquals(3, summary.getLong("done"));
    assertEquals(3, run.nextSeq(), "seq goes on after the file's last line");
    assertEquals(4, summary.getLong("refetched"), "2 before, 2 in flight at the stop");
    assertEquals(2, summary.getInteger("resumed"));
    assertEquals(STARTED_AT, summary.getString("startedAt"));
    assertEquals(1_234L, run.deadlineAt(), "the deadline stays where it was fixed at the first start");
    assertEquals(2, run.durableState().getInteger("resumed"));
  }

  @Test
  void aDecisionTakenBeforeTheStopIsTakenAgain() {
    JsonObject ok = new JsonObject().put("seq", 0).put("index", 3);
    JobRun any = resumed("any", new JsonObject(), progress(1, 0, ok, ok, 3), JobStore.Journal.none());
    any.start();
    assertEquals(JobState.SUCCEEDED, any.endDecided().result(), "any: an ok line decided it");
    assertEquals(ok, any.summary().getJsonObject("winner"));

    JsonObject failedFirst = new JsonObject().put("seq", 0).put("index", 1);
    JobRun first = resumed("first", new JsonObject(), progress(1, 1, failedFirst, ok, 1, 3), JobStore.Journal.none());
    assertEquals(JobState.FAILED, first.endDecided().result(), "first: the first line failed");

    JobRun cancelled = resumed("join", new JsonObject().put("endState", "cancelled"), progress(0, 0, null, null),
      JobStore.Journal.none());
    assertEquals(JobState.CANCELLED, cancelled.endDecided().result(), "a cancel stays a cancel");

    JobRun open = resumed("join", new JsonObject(), progress(2, 1, failedFirst, ok, 1, 3, 4), JobStore.Journal.none());
    assertEquals(false, open.endDecided().isComplete(), "join: nothing decided until every request settles");
  }

  @Test
  void aPausedJobSaysSoUntilResumedAndAnEndedOneCannotBePaused() {
    JobRun run = run("join", 2);
    assertEquals(true, run.pause());
    assertEquals("paused", run.summary().getString("state"), "paused while queued");
    assertEquals(false, run.pause(), "paused already");
    run.start();
    assertEquals("paused", run.summary().getString("state"));
    assertEquals(true, run.unpause());
    assertEquals("running", run.summary().getString("state"));
    assertEquals(false, run.unpause(), "not paused");
    run.stop(JobState.CANCELLED);
    run.beginEnding(JobState.CANCELLED);
    assertEquals(false, run.pause(), "its end is decided");
  }
}
