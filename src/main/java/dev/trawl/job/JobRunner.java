package dev.trawl.job;

import dev.trawl.bus.Addresses;
import dev.trawl.error.ErrorKind;
import dev.trawl.fetch.FetchOutcome;
import dev.trawl.parse.Links;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;

/**
 * Drives one running {@link JobRun}: pulls its requests while the pump gives it turns, passes
 * each through its {@link Politeness}, starts and retries its {@link Tries}, records one
 * {@link Result} per request, and, once the end is decided, cancels what is left and closes the
 * job's files. Every request ends as exactly one result: a request leaves the source, the gate
 * or the tries only to be recorded, and {@link #settled()} holds until none is anywhere.
 */
final class JobRunner implements Pump.Lane {

  private static final System.Logger LOG = System.getLogger(JobRunner.class.getName());

  private final Engine engine;
  private final JobRun run;
  private final Tries tries;
  private final Politeness politeness;
  private final Runnable onSlotFreed;
  /** Null until the sink has opened the file and the source is open. */
  private RequestSource source;
  private Crawl crawl;
  private long deadlineTimer = -1;
  private long wakeTimer = -1;
  /**
   * The journal lines of tries started and not journaled yet (durable jobs). They ride with the
   * job's next result line, so journaling costs no message of its own while results flow.
   */
  private StringBuilder started;
  /** Journal lines are sent on their own only once this many wait (no results are coming). */
  private static final int STARTS_ALONE = 4096;
  /** Set once the end state is on disk: only then do the requests left get their cancelled lines. */
  private boolean endSaved;
  /** Set when the node stops: no new try starts; completed once the job's files are closed to be resumed. */
  private Promise<Void> suspended;
  private long graceTimer = -1;

  /** @param onSlotFreed called when the job stops running, so that a queued one may start */
  JobRunner(Engine engine, JobRun run, Runnable onSlotFreed) {
    this.engine = engine;
    this.run = run;
    this.tries = new Tries(engine, run);
    this.politeness = new Politeness(run.spec(), engine.robots(), engine.hosts());
    this.onSlotFreed = onSlotFreed;
  }

  /** QUEUED → RUNNING: opens the results file and the source, then takes turns in the pump. */
  void start() {
    run.start();
    engine.store().save(run); // when it started, and so when its deadline falls
    engine.addLane(this);
    run.endDecided().onSuccess(this::onEndDecided);
    if (run.deadlineAt() > 0) {
      long leftMs = Math.max(1, run.deadlineAt() - System.currentTimeMillis());
      deadlineTimer = engine.vertx().setTimer(leftMs, id -> run.stop(JobState.EXPIRED));
    }
    boolean resuming = run.resumedCount() > 0;
    Future<RequestSource> opening = JobSources.open(engine, run);
    JsonObject open = new JsonObject().put("jobId", run.id()).put("path", run.output()).put("resume", resuming);
    if (engine.durable()) {
      open.put("journal", JobStore.journalPath(run.output()));
    }
    engine.bus().request(Addresses.SINK_OPEN, open)
      .compose(opened -> opening)
      .onSuccess(this::onSourceOpen)
      .onFailure(error -> {
        LOG.log(System.Logger.Level.ERROR, "job {0} cannot start: {1}", run.id(), error.getMessage());
        opening.onSuccess(RequestSource::close);
        source = JobSources.empty(run);
        run.stop(JobState.FAILED);
        engine.pump();
      });
  }

  private void onSourceOpen(RequestSource opened) {
    source = opened;
    crawl = opened instanceof Crawl c ? c : null;
    if (crawl != null) {
      tries.crawling(crawl);
      crawl.politeness(politeness);
    }
    opened.onReady(engine::pump);
    opened.onError(error -> {
      LOG.log(System.Logger.Level.ERROR, "job {0}: reading its requests failed: {1}", run.id(), error.getMessage());
      run.stop(JobState.FAILED);
      engine.pump();
    });
    engine.pump();
  }

  // ---- the pump's turns ------------------------------------------------------------------------

  @Override
  public boolean step() {
    if (source == null) {
      return false;
    }
    if (run.endIsDecided()) {
      return endSaved && suspended == null && cancelNextUnstarted();
    }
    if (run.paused() || suspended != null || full()) {
      return false;
    }
    long now = System.nanoTime();
    if (crawl != null && crawl.startSitemap(now)) {
      return true; // a sitemap fetch holds a slot and its host's turn, and makes no result
    }
    Pending parked = politeness.pollStartable(now);
    if (parked != null) {
      startTry(parked);
      return true;
    }
    RequestSpec next = politeness.full() ? null : source.poll();
    if (next == null) {
      return false;
    }
    if (!next.valid()) {
      record(Result.unstarted(next, ErrorKind.INVALID_REQUEST, next.problem()));
      return true;
    }
    if (crawl != null) {
      crawl.noticeOrigin(next);
    }
    admit(new Pending(next), now);
    return true;
  }

  private boolean cancelNextUnstarted() {
    RequestSpec next = source.poll();
    if (next == null) {
      return false;
    }
    record(Result.unstarted(next, ErrorKind.CANCELLED, endedBefore("started")));
    return true;
  }

  /**
   * Starts a request, parks it until its host allows, or ends it as robots.txt decided: blocked,
   * or with the transport failure that kept robots.txt from being read.
   */
  private void admit(Pending pending, long now) {
    Future<Politeness.Decision> decided = politeness.admit(pending, now);
    boolean waitedForRobots = !decided.isComplete();
    decided.onSuccess(decision -> {
      if (decision instanceof Politeness.Start) {
        startTry(pending);
      } else if (run.endIsDecided()) {
        record(Result.cancelled(pending, endedBefore("started")));
      } else if (decision instanceof Politeness.Blocked blocked) {
        record(Result.unstarted(pending.request(), blocked.kind(), blocked.why()));
      } else {
        politeness.park(pending);
      }
      if (waitedForRobots) {
        engine.pump(); // robots.txt answered outside the pump
      }
    });
  }

  private void startTry(Pending pending) {
    politeness.started(pending, System.nanoTime());
    if (engine.durable()) {
      started = started == null ? new StringBuilder() : started;
      started.append("s\t").append(pending.request().index()).append('\n');
    }
    tries.start(pending).onSuccess(answer -> onAnswer(pending, answer));
  }

  private void onAnswer(Pending pending, Optional<FetchOutcome> answer) {
    answer.ifPresent(outcome -> {
      politeness.finished(pending, System.nanoTime(), outcome);
      if (suspended != null && !run.endIsDecided() && tries.retries(pending, outcome)) {
        return; // the node is stopping: the next start fetches it again
      }
      if (!run.endIsDecided() && tries.retries(pending, outcome)) {
        tries.retryLater(pending, outcome).onSuccess(due -> {
          politeness.park(due);
          engine.pump();
        });
      } else {
        recordFetched(pending, outcome);
      }
    });
    engine.pump(); // a stale answer frees its fetch slot only now
    if (suspended != null) {
      suspendIfIdle();
    }
  }

  private void recordFetched(Pending pending, FetchOutcome answered) {
    FetchOutcome outcome = answered.wire().notModified() ? unchangedSince(pending.request().url(), answered) : answered;
    String found = null;
    if (crawl != null && !run.endIsDecided()) {
      found = crawl.found(pending.request().depth(), outcome.discovered());
    }
    engine.recorder().record(run, Result.fetched(pending, outcome), withStarts(found));
  }

  /**
   * A {@code 304} to a conditional request: the page is as the earlier job found it, so its
   * validators, its links ({@code parse.links}) and, for a crawl, the links to follow are the
   * earlier result's. A later job {@code since} this one can then be conditional again.
   */
  private FetchOutcome unchangedSince(String url, FetchOutcome notModified) {
    Validators.Earlier earlier = run.validators().of(url);
    if (earlier == null) {
      return notModified;
    }
    List<String> links = run.validators().linksOf(url);
    String page = notModified.finalUrl() != null ? notModified.finalUrl() : url; // links are filtered from where the page is
    List<String> follow = crawl == null || links.isEmpty() ? List.of() : Links.of(run.spec().follow()).follow(page, links);
    JsonArray kept = run.spec().parse().links() && earlier.links() != null ? earlier.links() : null;
    return notModified.unchangedSince(earlier.etag(), earlier.lastModified(), kept, follow);
  }

  private void record(Result result) {
    engine.recorder().record(run, result, withStarts(null));
  }

  /** The tries started since the last line, then {@code lines}, as one journal entry (null when none). */
  private String withStarts(String lines) {
    if (started == null || started.length() == 0) {
      return lines;
    }
    String starts = started.toString();
    started.setLength(0);
    return lines == null ? starts : starts + lines;
  }

  @Override
  public void afterTurns() {
    if (started != null && started.length() >= STARTS_ALONE) {
      journalStarts();
    }
    scheduleWake();
    if (!settled()) {
      return;
    }
    if (run.phase() == Phase.RUNNING) {
      run.everyRequestSettled();
    } else if (run.phase() == Phase.ENDING) {
      close();
    }
  }

  /** Every request has its result and the source has nothing left. */
  private boolean settled() {
    return source != null && source.exhausted() && tries.idle() && politeness.idle();
  }

  /** A job held back only by its hosts' gaps is woken when the next host may start. */
  private void scheduleWake() {
    boolean sitemapsWaiting = crawl != null && crawl.hasSitemapsWaiting();
    if (run.endIsDecided() || run.paused() || suspended != null || wakeTimer >= 0 || !politeness.hasParked() && !sitemapsWaiting || full()) {
      return; // when full, the next answer pumps again
    }
    long now = System.nanoTime();
    long at = politeness.nextStartNanos(now);
    long sitemapAt = sitemapsWaiting ? crawl.nextSitemapStartNanos() : -1;
    at = at < 0 || sitemapAt >= 0 && sitemapAt < at ? sitemapAt : at;
    if (at >= 0) {
      // Also when the moment has just passed: the pump that found the host not ready yet looked
      // at an earlier clock, and nothing else would wake this job again.
      long waitMs = Math.max(1, (at - now + 999_999) / 1_000_000);
      wakeTimer = engine.vertx().setTimer(waitMs, id -> {
        wakeTimer = -1;
        engine.pump();
      });
    }
  }

  /** No slot for another fetch: the node's, or the job's concurrency (its sitemap fetches count). */
  private boolean full() {
    int inFlight = tries.inFlight() + (crawl == null ? 0 : crawl.sitemapsFetching());
    return !engine.dispatcher().hasRoom() || inFlight >= engine.jobCap(run.spec());
  }

  // ---- the end ---------------------------------------------------------------------------------

  /**
   * The end is decided: no new try starts from now on. The rest happens on a fresh turn of the
   * event loop, not inside whichever result-recording call decided it.
   */
  private void onEndDecided(JobState state) {
    run.beginEnding(state);
    engine.store().save(run).onComplete(saved -> {
      endSaved = true;
      if (suspended == null) {
        cancelWhatIsLeft();
      }
    });
  }

  /** Aborts what is in flight and cancels what waits; the pump cancels what never started. */
  private void cancelWhatIsLeft() {
    engine.vertx().cancelTimer(deadlineTimer);
    engine.vertx().cancelTimer(wakeTimer);
    if (tries.inFlight() > 0 || crawl != null && crawl.sitemapsFetching() > 0) {
      engine.bus().publish(Addresses.FETCH_ABORT, new JsonObject().put("jobId", run.id()));
    }
    String why = endedBefore("finished");
    politeness.abandoned(tries.inFlightNow());
    tries.cancelAll().forEach(pending -> record(Result.cancelled(pending, why)));
    politeness.drainParked().forEach(pending -> record(Result.cancelled(pending, why)));
    engine.pump();
  }

  /** The tries started and not journaled yet go to the journal in a message of their own. */
  private void journalStarts() {
    if (started != null && started.length() > 0) {
      engine.journal(run, started.toString());
      started.setLength(0);
    }
  }

  // ---- stopping the node -----------------------------------------------------------------------

  /**
   * The node stops: no new try starts, tries in flight may finish for {@code graceMs}, then are
   * aborted; the files are closed without a summary and the job is left to be resumed by the next
   * start. A job whose end is decided is let end, within the same grace. Completes when done.
   */
  Future<Void> suspend(long graceMs) {
    if (suspended != null) {
      return suspended.future();
    }
    if (run.endIsDecided() && endSaved) {
      // Ending anyway: it goes on ending (cancelling what is left), bounded by the grace.
      Promise<Void> ended = Promise.promise();
      long timer = engine.vertx().setTimer(Math.max(1, graceMs), id -> ended.tryComplete());
      run.finished().onComplete(done -> {
        engine.vertx().cancelTimer(timer);
        ended.tryComplete();
      });
      return ended.future();
    }
    suspended = Promise.promise();
    engine.vertx().cancelTimer(wakeTimer);
    engine.vertx().cancelTimer(deadlineTimer);
    graceTimer = engine.vertx().setTimer(Math.max(1, graceMs), id -> {
      graceTimer = -1;
      engine.bus().publish(Addresses.FETCH_ABORT, new JsonObject().put("jobId", run.id()));
      finishSuspend();
    });
    suspendIfIdle();
    return suspended.future();
  }

  private void suspendIfIdle() {
    int sitemaps = crawl == null ? 0 : crawl.sitemapsFetching();
    if (tries.inFlight() == 0 && sitemaps == 0) {
      finishSuspend();
    }
  }

  /** What is still in flight or waiting is dropped: it has no line, so the next start fetches it. */
  private void finishSuspend() {
    if (suspended == null || suspended.future().isComplete()) {
      return;
    }
    if (run.phase().compareTo(Phase.CLOSING) >= 0) {
      // It ended meanwhile and is closing its files as ended: that is the stop.
      engine.vertx().cancelTimer(graceTimer);
      Promise<Void> done = suspended;
      run.finished().onComplete(v -> done.tryComplete());
      return;
    }
    engine.vertx().cancelTimer(graceTimer);
    politeness.abandoned(tries.inFlightNow());
    tries.cancelAll();
    journalStarts();
    engine.removeLane(this);
    if (source != null) {
      source.close();
    }
    Promise<Void> done = suspended;
    engine.bus().request(Addresses.SINK_CLOSE, new JsonObject().put("jobId", run.id()))
      .transform(closed -> engine.store().save(run))
      .onComplete(saved -> done.tryComplete());
  }

  JobRun run() {
    return run;
  }

  /** A paused job goes on. */
  void unpaused() {
    engine.pump();
  }

  private String endedBefore(String what) {
    return "the job ended (" + run.endState().wire() + ") before this request " + what;
  }

  /**
   * ENDING → CLOSING → DONE: every request has its line. The files are closed first, and only
   * then does the job show its end state, so whoever sees the end can read the whole file.
   */
  private void close() {
    engine.vertx().cancelTimer(deadlineTimer);
    journalStarts();
    JsonObject summary = run.beginClosing();
    source.close();
    engine.removeLane(this);
    engine.bus().request(Addresses.SINK_CLOSE, new JsonObject().put("jobId", run.id()).put("summary", summary))
      .onComplete(closed -> {
        if (closed.failed()) {
          LOG.log(System.Logger.Level.ERROR, "job {0}: the sink could not close its files: {1}", run.id(),
            closed.cause().getMessage());
          run.writeFailed(closed.cause().getMessage()); // the sink's summary file says the same
        }
        // Once the summary is written the job's state files go; the summary is all that is left.
        Future<Void> forgotten = closed.succeeded() ? engine.store().forget(run) : Future.succeededFuture();
        forgotten.onComplete(v -> run.done(run.closedSummary()));
      });
    onSlotFreed.run();
    engine.pump();
  }
}
