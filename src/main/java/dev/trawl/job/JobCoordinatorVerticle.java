package dev.trawl.job;

import dev.trawl.Addresses;
import dev.trawl.config.JobDefaults;
import dev.trawl.config.Problems;
import dev.trawl.config.Timeouts;
import dev.trawl.config.TrawlConfig;
import dev.trawl.fetch.CookieHeader;
import dev.trawl.fetch.FetchOutcome;
import dev.trawl.fetch.FetchRequest;
import dev.trawl.sink.ResultLine;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Owns every job of this node: validation, queueing, modes, deadlines, cancellation. It pulls
 * requests from a job's source only while the node has a free fetch slot ({@code fetch.maxInFlight})
 * and the job one of its own ({@code limits.concurrency}), and only while the sink keeps up, so
 * nothing between the source and the file grows without bound.
 */
public class JobCoordinatorVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(JobCoordinatorVerticle.class.getName());
  /** Result lines handed to the sink and not yet accepted by it, over all jobs. */
  private static final int SINK_WINDOW = 4096;
  /** How long a fetcher may take beyond a try's own total deadline before it is presumed lost. */
  private static final long FETCH_REPLY_GRACE_MS = 10_000;

  private TrawlConfig cfg;
  private JobDefaults defaults;
  private EventBus bus;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final List<Job> running = new ArrayList<>();
  private final ArrayDeque<Job> queued = new ArrayDeque<>();
  private final ArrayDeque<String> finishedOrder = new ArrayDeque<>();
  private int nodeInFlight;
  /** Set by a drain (the node is stopping): no new job is accepted. */
  private boolean draining;
  private int sinkUnacked;
  private int rotation;
  private long dispatchCounter;
  private final JobMetrics metrics = new JobMetrics();
  private Robots robots;

  @Override
  public Future<?> start() {
    cfg = TrawlConfig.from(config());
    defaults = JobDefaults.of(cfg);
    bus = vertx.eventBus();
    robots = new Robots(vertx, cfg.userAgent(), this::fetchRobots);
    metrics.gauge("trawl.jobs.running", "Jobs running on this node", running::size);
    metrics.gauge("trawl.jobs.queued", "Jobs waiting for a slot (jobs.maxConcurrent)", queued::size);
    metrics.gauge("trawl.fetch.in.flight", "Requests handed to fetchers and not answered yet", () -> nodeInFlight);
    return Future.all(List.of(
      bus.<JsonObject>consumer(Addresses.JOBS_SUBMIT, this::onSubmit).completion(),
      bus.<JsonObject>consumer(Addresses.JOBS_GET, this::onGet).completion(),
      bus.<JsonObject>consumer(Addresses.JOBS_LIST, this::onList).completion(),
      bus.<JsonObject>consumer(Addresses.JOBS_CANCEL, this::onCancel).completion(),
      bus.<JsonObject>localConsumer(Addresses.NODE_DRAIN, this::onDrain).completion()));
  }

  // ---- the event-bus API -------------------------------------------------------------------

  private void onSubmit(Message<JsonObject> message) {
    JsonObject body = message.body();
    if (body == null) {
      failWithProblems(message, List.of("the job must be a JSON object"));
      return;
    }
    if (draining) {
      message.fail(503, "this node is stopping and accepts no new jobs");
      return;
    }
    JobSpec.Parsed parsed = JobSpec.parse(body, defaults, cfg.maxRequestsPerJob(), cfg.robotsDefault());
    if (!parsed.problems().isEmpty()) {
      failWithProblems(message, parsed.problems().list());
      return;
    }
    if (running.size() >= cfg.maxConcurrentJobs() && queued.size() >= cfg.queueCapacity()) {
      message.fail(429, new JsonObject().put("error", "the job queue is full")
        .put("retryAfterSeconds", 5).encode());
      return;
    }
    countRequests(parsed.spec())
      .onSuccess(total -> {
        if (draining) {
          message.fail(503, "this node is stopping and accepts no new jobs");
        } else {
          message.reply(accept(parsed.spec(), total));
        }
      })
      .onFailure(error -> failWithProblems(message, List.of(error.getMessage())));
  }

  private static void failWithProblems(Message<?> message, List<String> problems) {
    message.fail(400, new JsonObject().put("error", "invalid job").put("problems", new JsonArray(problems)).encode());
  }

  /** Inline jobs are counted at once; a file is counted on a worker thread, without holding it. */
  private Future<Long> countRequests(JobSpec spec) {
    if (spec.requests() != null) {
      return Future.succeededFuture((long) spec.requests().size());
    }
    String file = spec.requestsFile();
    if (!insideRequestsFileDir(file)) {
      return Future.failedFuture("requestsFile: " + file + " is outside jobs.requestsFileDir=" + cfg.requestsFileDir());
    }
    return vertx.executeBlocking(() -> LineCounter.count(Path.of(file)), false)
      .recover(error -> Future.failedFuture("requestsFile: cannot read " + file + ": " + error.getMessage()))
      .compose(total -> total <= cfg.maxRequestsPerJob() ? Future.succeededFuture(total)
        : Future.failedFuture("requestsFile: " + total + " requests, over jobs.maxRequests=" + cfg.maxRequestsPerJob()));
  }

  private boolean insideRequestsFileDir(String file) {
    if (cfg.requestsFileDir().isEmpty()) {
      return true;
    }
    Path root = Path.of(cfg.requestsFileDir()).toAbsolutePath().normalize();
    return Path.of(file).toAbsolutePath().normalize().startsWith(root);
  }

  private JsonObject accept(JobSpec spec, long total) {
    String id = UUID.randomUUID().toString();
    String output = Path.of(cfg.sinkDir(), spec.name(), id + ".jsonl").toString();
    Job job = new Job(id, spec, output, total);
    jobs.put(id, job);
    queued.add(job);
    startQueued();
    return new JsonObject().put("id", id).put("state", job.state.wire());
  }

  private void onGet(Message<JsonObject> message) {
    Job job = jobs.get(message.body().getString("id"));
    if (job == null) {
      message.fail(404, "no job " + message.body().getString("id"));
    } else {
      message.reply(job.summary());
    }
  }

  private void onList(Message<JsonObject> message) {
    JsonArray list = new JsonArray();
    jobs.values().forEach(job -> list.add(job.summary()));
    message.reply(new JsonObject().put("jobs", list));
  }

  private void onCancel(Message<JsonObject> message) {
    Job job = jobs.get(message.body().getString("id"));
    if (job == null) {
      message.fail(404, "no job " + message.body().getString("id"));
      return;
    }
    if (job.state == JobState.QUEUED) {
      queued.remove(job);
      begin(job);
    }
    job.signals.stop(JobState.CANCELLED);
    message.reply(job.summary());
  }

  /** Before the node stops: every job ends as cancelled and its files are closed. */
  private void onDrain(Message<JsonObject> message) {
    draining = true;
    List<Job> live = jobs.values().stream().filter(job -> !job.finished().isComplete()).toList();
    queued.clear();
    List<Future<JsonObject>> finishing = new ArrayList<>();
    for (Job job : live) {
      if (job.state == JobState.QUEUED) {
        begin(job);
      }
      job.signals.stop(JobState.CANCELLED); // no effect on a job whose files are closing
      finishing.add(job.finished());
    }
    Future.join(finishing).onComplete(done -> message.reply(new JsonObject().put("jobs", live.size())));
  }

  // ---- running jobs --------------------------------------------------------------------------

  private void startQueued() {
    while (running.size() < cfg.maxConcurrentJobs() && !queued.isEmpty()) {
      begin(queued.poll());
    }
  }

  private void begin(Job job) {
    job.state = JobState.RUNNING;
    job.startedAt = Instant.now();
    running.add(job);
    job.signals.ending().onSuccess(state -> {
      // Stop handing out work at once; abort and drain on a fresh turn of the event loop, not
      // inside whichever result-recording call decided the end.
      job.ending = state;
      vertx.runOnContext(v -> end(job, state));
    });
    if (job.spec.deadlineMs() > 0) {
      job.deadlineTimer = vertx.setTimer(job.spec.deadlineMs(), id -> job.signals.stop(JobState.EXPIRED));
    }
    Future<RequestSource> requests = job.spec.requests() != null
      ? Future.succeededFuture(new InlineSource(job.spec.requests(), job.spec.timeouts()))
      : FileSource.open(vertx, job.spec.requestsFile(), job.spec.timeouts());
    Future<RequestSource> source = job.spec.follow() == null ? requests
      : requests.map(seeds -> new Crawl(job, seeds, new Frontier(vertx, job.output.replaceFirst("\\.jsonl$", ".frontier"))));
    bus.request(Addresses.SINK_OPEN, new JsonObject().put("jobId", job.id).put("path", job.output))
      .compose(opened -> source)
      .onSuccess(opened -> {
        job.source = opened;
        opened.onReady(this::pump);
        opened.onError(error -> {
          LOG.log(System.Logger.Level.ERROR, "job {0}: reading its requests failed: {1}", job.id, error.getMessage());
          job.signals.stop(JobState.FAILED);
          pump();
        });
        pump();
      })
      .onFailure(error -> {
        LOG.log(System.Logger.Level.ERROR, "job {0} cannot start: {1}", job.id, error.getMessage());
        source.onSuccess(RequestSource::close);
        job.source = new InlineSource(new JsonArray(), job.spec.timeouts());
        job.signals.stop(JobState.FAILED);
        pump();
      });
  }

  /**
   * Hands out work while there is room: round-robin over the running jobs, one request each per
   * turn, so a large job cannot starve a small one. A job that is ending turns its remaining
   * requests into {@code cancelled} results instead.
   */
  private void pump() {
    boolean progressed = true;
    while (progressed && sinkUnacked < SINK_WINDOW) {
      progressed = false;
      for (int i = 0; i < running.size() && sinkUnacked < SINK_WINDOW; i++) {
        Job job = running.get((rotation + i) % running.size());
        progressed |= step(job);
      }
      rotation++;
    }
    for (Job job : List.copyOf(running)) {
      scheduleWake(job);
      checkSettled(job);
    }
  }

  /** One unit of progress for {@code job}; false when it can do nothing now. */
  private boolean step(Job job) {
    if (job.source == null) {
      return false;
    }
    if (job.ending != null) {
      RequestSpec next = job.source.poll();
      if (next != null) {
        emitUnstarted(job, next, "cancelled", "the job ended (" + job.ending.wire() + ") before this request started");
        return true;
      }
      return false;
    }
    if (nodeInFlight >= cfg.maxInFlight() || job.inFlight.size() >= jobCap(job)) {
      return false;
    }
    long now = System.nanoTime();
    Job.Pending parked = job.gate.pollStartable(now);
    if (parked != null) {
      dispatch(job, parked);
      return true;
    }
    RequestSpec next = job.gate.full() ? null : job.source.poll();
    if (next == null) {
      return false;
    }
    if (!next.valid()) {
      emitUnstarted(job, next, "invalid_request", next.problem());
      return true;
    }
    Job.Pending pending = new Job.Pending(next);
    if (job.source instanceof Crawl crawl && crawl.firstSightOf(originOf(next.url()))) {
      readSitemapsOf(job, crawl, originOf(next.url()));
    }
    startOrWait(job, pending, now);
    return true;
  }

  /**
   * Starts a request, or parks it until its host allows a start; with {@code robots: obey} its
   * origin's robots.txt is consulted first, and a URL it disallows ends as {@code blocked}.
   */
  private void startOrWait(Job job, Job.Pending pending, long now) {
    if (!job.spec.obeysRobots() || pending.robotsChecked) {
      if (job.gate.mayStart(pending.host, now)) {
        dispatch(job, pending);
      } else {
        job.gate.park(pending.host, pending);
      }
      return;
    }
    job.robotsWaiting++;
    robots.verdict(originOf(pending.request.url()), verdict -> {
      job.robotsWaiting--;
      pending.robotsChecked = true;
      if (job.ending != null) {
        emitCancelled(job, pending, "the job ended (" + job.ending.wire() + ") before this request started");
      } else if (!verdict.allows(pending.request.url())) {
        emitUnstarted(job, pending.request, "blocked", verdict.unavailable() != null ? verdict.unavailable()
          : "disallowed by robots.txt of " + originOf(pending.request.url()));
      } else {
        job.gate.minGap(pending.host, Robots.crawlDelayMs(verdict));
        job.gate.park(pending.host, pending);
      }
      pump();
    });
  }

  /** {@code scheme://host:port} of a URL: whose robots.txt and sitemaps apply to it. */
  private static String originOf(String url) {
    java.net.URI uri = java.net.URI.create(url);
    return uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + dev.trawl.fetch.HostNames.hostOf(uri)
      + ":" + dev.trawl.fetch.HostNames.portOf(uri);
  }

  /** One robots.txt fetch for {@link Robots}, through the fetchers like any other request. */
  private Future<Robots.Answer> fetchRobots(String url) {
    FetchRequest request = new FetchRequest("trawl-robots", -1, ++dispatchCounter, url, "GET", Map.of(), null,
      defaults.timeouts(), dev.trawl.parse.ParseSpec.DEFAULT, false, FetchRequest.Purpose.ROBOTS, null);
    return bus.<FetchOutcome>request(Addresses.FETCH, request, replyOptions(request)).map(reply -> {
      FetchOutcome o = reply.body();
      int status = o.ok() || "http_status".equals(o.errorKind()) ? o.status() : 0;
      return new Robots.Answer(status, o.contentType(), o.body());
    });
  }

  /** Seeds a crawl from the sitemaps robots.txt names and from /sitemap.xml of a new origin. */
  private void readSitemapsOf(Job job, Crawl crawl, String origin) {
    crawl.sitemapsInFlight++; // keeps the crawl open while robots.txt is read
    robots.verdict(origin, verdict -> {
      crawl.sitemapsInFlight--;
      List<String> sitemaps = new ArrayList<>(verdict.rules() == null ? List.of() : verdict.rules().getSitemaps());
      sitemaps.add(origin + "/sitemap.xml");
      sitemaps.forEach(url -> readSitemap(job, crawl, url));
      pump();
    });
  }

  private void readSitemap(Job job, Crawl crawl, String url) {
    if (job.ending != null || !crawl.shouldRead(url)) {
      return;
    }
    crawl.sitemapsInFlight++;
    FetchRequest request = new FetchRequest(job.id, -1, ++dispatchCounter, url, "GET", job.spec.headers(), null,
      job.spec.timeouts(), dev.trawl.parse.ParseSpec.DEFAULT, false, FetchRequest.Purpose.SITEMAP, crawl.follow);
    bus.<FetchOutcome>request(Addresses.FETCH, request, replyOptions(request)).onComplete(reply -> {
      crawl.sitemapsInFlight--;
      FetchOutcome read = reply.succeeded() ? reply.result().body() : null;
      if (read != null && read.ok() && job.ending == null) {
        crawl.fromSitemap(read.discovered());
        read.sitemaps().forEach(child -> readSitemap(job, crawl, child));
      }
      pump();
    });
  }

  private static DeliveryOptions replyOptions(FetchRequest request) {
    return new DeliveryOptions().setSendTimeout(request.timeouts().totalMs() + FETCH_REPLY_GRACE_MS);
  }

  /**
   * A job's own {@code limits.concurrency}, but never the node's last slots: an eighth of
   * {@code fetch.maxInFlight} stays free for other jobs, so a job stuck on a slow host cannot hold
   * every slot and stall a job that arrives after it.
   */
  private int jobCap(Job job) {
    int headroom = cfg.maxConcurrentJobs() > 1 ? Math.max(1, cfg.maxInFlight() / 8) : 0;
    return Math.min(job.spec.limits().concurrency(), Math.max(1, cfg.maxInFlight() - headroom));
  }

  /** A job held back only by {@code perHostDelayMs} is woken when its next host may start. */
  private void scheduleWake(Job job) {
    boolean full = nodeInFlight >= cfg.maxInFlight() || job.inFlight.size() >= jobCap(job);
    if (job.ending != null || job.wakeTimer >= 0 || job.gate.parked() == 0 || full) {
      return; // when full, the next answer pumps again
    }
    long now = System.nanoTime();
    long at = job.gate.nextStartNanos(now);
    if (at >= 0) {
      // Also when the moment has just passed: the pump that found the host not ready yet looked
      // at an earlier clock, and nothing else would wake this job again.
      long waitMs = Math.max(1, (at - now + 999_999) / 1_000_000);
      job.wakeTimer = vertx.setTimer(waitMs, id -> {
        job.wakeTimer = -1;
        pump();
      });
    }
  }

  private void dispatch(Job job, Job.Pending pending) {
    pending.attempts++;
    pending.dispatchId = ++dispatchCounter;
    if (pending.attempts == 1) {
      pending.startedAt = Instant.now().toString();
      pending.startNanos = System.nanoTime();
    }
    job.inFlight.put(pending.request.index(), pending);
    job.gate.started(pending.host, System.nanoTime());
    nodeInFlight++;
    FetchRequest request = fetchRequest(job, pending);
    long dispatchId = pending.dispatchId;
    bus.<FetchOutcome>request(Addresses.FETCH, request, replyOptions(request))
      .onComplete(reply -> onOutcome(job, pending, dispatchId, reply.succeeded() ? reply.result().body()
        : FetchOutcome.failed(request, null, pending.startedAt, elapsedMs(pending), "internal",
          "no answer from a fetcher: " + reply.cause().getMessage())));
  }

  private FetchRequest fetchRequest(Job job, Job.Pending pending) {
    RequestSpec req = pending.request;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.putAll(job.spec.headers());
    headers.putAll(req.headers());
    if (!job.cookies.isEmpty()) {
      Map<String, String> jar = new LinkedHashMap<>(job.cookies);
      headers.keySet().stream().filter("cookie"::equalsIgnoreCase).findFirst()
        .ifPresent(name -> jar.putAll(CookieHeader.parse(headers.remove(name))));
      headers.put("Cookie", CookieHeader.format(jar));
    }
    Timeouts timeouts = req.timeouts() != null ? req.timeouts() : job.spec.timeouts();
    return new FetchRequest(job.id, req.index(), pending.dispatchId, req.url(), req.method(), headers, req.body(),
      timeouts, job.spec.parse(), job.spec.outputBody(), FetchRequest.Purpose.PAGE, job.spec.follow());
  }

  private void onOutcome(Job job, Job.Pending pending, long dispatchId, FetchOutcome outcome) {
    if (job.inFlight.get(pending.request.index()) != pending || pending.dispatchId != dispatchId) {
      return; // the request already has its result (cancelled, expired): a late answer is dropped
    }
    job.inFlight.remove(pending.request.index());
    job.gate.finished(pending.host, System.nanoTime());
    nodeInFlight--;
    outcome.setCookies().forEach(pair -> {
      Map.Entry<String, String> cookie = CookieHeader.pairOf(pair);
      if (cookie != null) {
        job.cookies.put(cookie.getKey(), cookie.getValue());
      }
    });
    if (shouldRetry(job, pending, outcome)) {
      scheduleRetry(job, pending, outcome);
    } else {
      emit(job, pending, outcome);
    }
    pump();
  }

  private boolean shouldRetry(Job job, Job.Pending pending, FetchOutcome outcome) {
    return !outcome.ok() && job.ending == null && pending.attempts < job.spec.retry().attempts()
      && job.spec.retry().retries(outcome.errorKind(), outcome.errorKind().equals("http_status") ? outcome.status() : 0);
  }

  /** A request waiting for its next try holds no concurrency slot. */
  private void scheduleRetry(Job job, Job.Pending pending, FetchOutcome outcome) {
    long backoff = job.spec.retry().backoffBefore(pending.attempts + 1);
    long wait = Math.max(backoff, Math.min(outcome.retryAfterMs(), cfg.maxRetryAfterMs()));
    job.waitingRetry.put(pending.request.index(), pending);
    pending.retryTimer = vertx.setTimer(Math.max(1, wait), id -> {
      pending.retryTimer = -1;
      if (job.waitingRetry.remove(pending.request.index()) != null) {
        job.gate.park(pending.host, pending);
        pump();
      }
    });
  }

  // ---- results ---------------------------------------------------------------------------------

  private void emit(Job job, Job.Pending pending, FetchOutcome outcome) {
    JsonObject error = outcome.ok() ? null
      : new JsonObject().put("kind", outcome.errorKind()).put("message", outcome.errorMessage());
    JsonObject result = resultBase(job, pending.request)
      .put("finalUrl", outcome.finalUrl()).put("ok", outcome.ok())
      .put("status", outcome.status() == 0 ? null : outcome.status())
      .put("contentType", outcome.contentType()).put("bytes", outcome.bytes())
      .put("attempts", pending.attempts).put("startedAt", pending.startedAt)
      .put("elapsedMs", elapsedMs(pending)).put("node", outcome.node())
      .put("data", outcome.data()).put("error", error);
    if (outcome.links() != null) {
      result.put("links", outcome.links());
    }
    if (outcome.body() != null) {
      result.put("body", outcome.body());
    }
    if (job.source instanceof Crawl crawl && job.ending == null) {
      crawl.found(pending.request.depth(), outcome.discovered());
    }
    record(job, result, outcome.ok(), false);
  }

  private void emitUnstarted(Job job, RequestSpec request, String kind, String message) {
    JsonObject result = resultBase(job, request)
      .put("finalUrl", null).put("ok", false).put("status", null).put("contentType", null).put("bytes", 0)
      .put("attempts", 0).put("startedAt", null).put("elapsedMs", 0).put("node", null).put("data", null)
      .put("error", new JsonObject().put("kind", kind).put("message", message));
    record(job, result, false, kind.equals("cancelled"));
  }

  private void emitCancelled(Job job, Job.Pending pending, String message) {
    JsonObject result = resultBase(job, pending.request)
      .put("finalUrl", null).put("ok", false).put("status", null).put("contentType", null).put("bytes", 0)
      .put("attempts", pending.attempts).put("startedAt", pending.startedAt).put("elapsedMs", elapsedMs(pending))
      .put("node", null).put("data", null)
      .put("error", new JsonObject().put("kind", "cancelled").put("message", message));
    record(job, result, false, true);
  }

  private static JsonObject resultBase(Job job, RequestSpec request) {
    return new JsonObject().put("jobId", job.id).put("seq", job.nextSeq++).put("index", request.index())
      .put("url", request.url()).put("depth", request.depth());
  }

  private static long elapsedMs(Job.Pending pending) {
    return pending.startNanos == 0 ? 0 : (System.nanoTime() - pending.startNanos) / 1_000_000;
  }

  /** Counts a result, feeds the mode, and sends it to the sink and the results address. */
  private void record(Job job, JsonObject result, boolean ok, boolean cancelled) {
    if (ok) {
      job.ok++;
    } else if (cancelled) {
      job.cancelled++;
    } else {
      job.failed++;
    }
    if (job.ending == null) {
      noteWinnerOrError(job, result, ok);
      job.signals.onResult(ok);
    }
    metrics.result(ok ? "ok" : result.getJsonObject("error").getString("kind"));
    sinkUnacked++;
    bus.request(Addresses.SINK_WRITE, new ResultLine(job.id, result.getLong("seq"), result.encode()))
      .onComplete(accepted -> {
        if (accepted.failed()) {
          LOG.log(System.Logger.Level.ERROR, "job {0}: result {1} not written: {2}", job.id, result.getLong("seq"),
            accepted.cause().getMessage());
        }
        sinkUnacked--;
        if (sinkUnacked == SINK_WINDOW / 2) {
          pump();
        }
      });
    bus.publish(Addresses.results(job.id), result);
  }

  private static void noteWinnerOrError(Job job, JsonObject result, boolean ok) {
    Mode mode = job.spec.mode();
    boolean wins = (mode == Mode.ANY && ok) || mode == Mode.FIRST;
    if (wins && job.winner == null) {
      job.winner = brief(result);
    }
    if (mode == Mode.ALL && !ok && job.firstError == null) {
      job.firstError = brief(result).put("error", result.getJsonObject("error"));
    }
  }

  private static JsonObject brief(JsonObject result) {
    return new JsonObject().put("seq", result.getLong("seq")).put("index", result.getLong("index"))
      .put("url", result.getString("url")).put("status", result.getValue("status"));
  }

  // ---- the end of a job ------------------------------------------------------------------------

  private void checkSettled(Job job) {
    if (job.ending == null && job.allSettled()) {
      job.signals.onAllSettled();
    } else if (job.ending != null && job.allSettled() && job.state == JobState.RUNNING) {
      finish(job);
    }
  }

  /** The end is decided: abort what is in flight; {@link #pump()} cancels what never started. */
  private void end(Job job, JobState state) {
    vertx.cancelTimer(job.deadlineTimer);
    if (!job.inFlight.isEmpty()) {
      bus.publish(Addresses.FETCH_ABORT, new JsonObject().put("jobId", job.id));
    }
    String why = "the job ended (" + state.wire() + ") before this request finished";
    for (Job.Pending pending : List.copyOf(job.inFlight.values())) {
      job.inFlight.remove(pending.request.index());
      nodeInFlight--;
      emitCancelled(job, pending, why);
    }
    for (Job.Pending pending : List.copyOf(job.waitingRetry.values())) {
      vertx.cancelTimer(pending.retryTimer);
      emitCancelled(job, pending, why);
    }
    job.waitingRetry.clear();
    vertx.cancelTimer(job.wakeTimer);
    for (Job.Pending parked : job.gate.drain()) {
      emitCancelled(job, parked, why);
    }
    pump();
  }

  /**
   * Every request has its result: close the files, and only then show the end state and
   * publish the summary, so whoever sees the end can read the whole file.
   */
  private void finish(Job job) {
    job.endedAt = Instant.now();
    running.remove(job);
    job.source.close();
    job.spec = job.spec.withoutRequests();
    JsonObject summary = job.finalSummary();
    bus.request(Addresses.SINK_CLOSE, new JsonObject().put("jobId", job.id).put("summary", summary))
      .onComplete(closed -> {
        if (closed.failed()) {
          LOG.log(System.Logger.Level.ERROR, "job {0}: the sink could not close its files: {1}", job.id, closed.cause().getMessage());
        }
        job.state = job.ending;
        bus.publish(Addresses.done(job.id), summary);
        job.finish(summary);
        forgetOldJobs(job);
      });
    startQueued();
    pump();
  }

  private void forgetOldJobs(Job job) {
    finishedOrder.add(job.id);
    while (finishedOrder.size() > cfg.keepFinishedJobs()) {
      jobs.remove(finishedOrder.poll());
    }
  }
}
