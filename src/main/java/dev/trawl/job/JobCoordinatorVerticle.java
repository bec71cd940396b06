package dev.trawl.job;

import dev.trawl.bus.Addresses;
import dev.trawl.cluster.Members;
import dev.trawl.config.JobDefaults;
import dev.trawl.config.Problems;
import dev.trawl.config.Timeouts;
import dev.trawl.config.TrawlConfig;
import dev.trawl.error.ErrorKind;
import dev.trawl.fetch.FetchOutcome;
import dev.trawl.fetch.FetchRequest;
import dev.trawl.sink.ResultLine;
import dev.trawl.web.CookieHeader;
import dev.trawl.web.HostKey;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
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
  /** A call forwarded to another node (a frozen one may never answer) gives up after this. */
  private static final DeliveryOptions FORWARDED = new DeliveryOptions().setSendTimeout(5_000);

  private TrawlConfig cfg;
  private JobDefaults defaults;
  private EventBus bus;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final List<Job> running = new ArrayList<>();
  private final ArrayDeque<Job> queued = new ArrayDeque<>();
  private final ArrayDeque<String> finishedOrder = new ArrayDeque<>();
  private String self;
  private Members members;
  private Dispatcher dispatcher;
  private JobDirectory directory;
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
    self = cfg.nodeId();
    members = new Members(vertx, self, cfg.maxInFlight(), cfg.heartbeatMs(), cfg.nodeTimeoutMs(), this::onNodeLost);
    dispatcher = new Dispatcher(bus, members, this::onRefetch, this::stillWanted);
    directory = new JobDirectory(vertx);
    robots = new Robots(vertx, cfg.userAgent(), this::fetchRobots);
    metrics.gauge("trawl.jobs.running", "Jobs running on this node", running::size);
    metrics.gauge("trawl.jobs.queued", "Jobs waiting for a slot (jobs.maxConcurrent)", queued::size);
    metrics.gauge("trawl.fetch.in.flight", "Requests handed to fetchers and not answered yet", dispatcher::inFlight);
    metrics.gauge("trawl.fetch.refetched", "Tries fetched again because the node fetching them was lost",
      dispatcher::resent);
    metrics.gauge("trawl.cluster.nodes", "Trawl nodes this node knows to be alive", () -> members.aliveIds().size());
    List<Future<Void>> consumers = new ArrayList<>();
    // Each call is served on its own address (any node answers) and on this node's (how the
    // API reaches this node, and how a node forwards a call to a job's coordinator).
    for (String address : List.of(Addresses.JOBS_SUBMIT, Addresses.atNode(Addresses.JOBS_SUBMIT, self))) {
      consumers.add(bus.<JsonObject>consumer(address, this::onSubmit).completion());
    }
    for (String address : List.of(Addresses.JOBS_GET, Addresses.atNode(Addresses.JOBS_GET, self))) {
      consumers.add(bus.<JsonObject>consumer(address, message -> withJob(message, Addresses.JOBS_GET, this::onGet)).completion());
    }
    for (String address : List.of(Addresses.JOBS_CANCEL, Addresses.atNode(Addresses.JOBS_CANCEL, self))) {
      consumers.add(bus.<JsonObject>consumer(address, message -> withJob(message, Addresses.JOBS_CANCEL, this::onCancel)).completion());
    }
    for (String address : List.of(Addresses.JOBS_LIST, Addresses.atNode(Addresses.JOBS_LIST, self))) {
      consumers.add(bus.<JsonObject>consumer(address, this::onList).completion());
    }
    consumers.add(bus.<JsonObject>localConsumer(Addresses.NODE_DRAIN, this::onDrain).completion());
    consumers.add(bus.<JsonObject>localConsumer(Addresses.NODE_MEMBERS,
      message -> message.reply(new JsonObject().put("nodes", new JsonArray(members.aliveIds())))).completion());
    return Future.all(consumers).compose(v -> members.start());
  }

  @Override
  public Future<?> stop() {
    members.stop();
    return Future.succeededFuture();
  }

  // ---- the cluster -----------------------------------------------------------------------------

  /** A node was lost: what it was fetching for this node's jobs is fetched again elsewhere. */
  private void onNodeLost(String node) {
    LOG.log(System.Logger.Level.WARNING, "node {0} is gone; its tries are sent to the other nodes", node);
    dispatcher.nodeLost(node);
    pump();
  }

  /** A try of a job that has ended (or a robots.txt read) is not worth fetching again. */
  private boolean stillWanted(FetchRequest request) {
    Job job = jobs.get(request.jobId());
    return job == null ? request.purpose() == FetchRequest.Purpose.ROBOTS : job.ending == null;
  }

  private void onRefetch(FetchRequest request) {
    Job job = jobs.get(request.jobId());
    if (job != null) {
      job.refetched++;
    }
  }

  /**
   * Runs {@code handler} when this node coordinates the job; otherwise forwards the call to the
   * node that does, or answers for the job itself when that node is gone. A forwarded call
   * carries {@code "forwarded": true} and is never forwarded again.
   */
  private void withJob(Message<JsonObject> message, String address, java.util.function.BiConsumer<Message<JsonObject>, Job> handler) {
    String id = message.body().getString("id");
    Job job = jobs.get(id);
    if (job != null) {
      handler.accept(message, job);
      return;
    }
    if (message.body().getBoolean("forwarded", false) || id == null) {
      message.fail(404, "no job " + id);
      return;
    }
    directory.lookup(id).onComplete(found -> {
      JsonObject entry = found.succeeded() ? found.result() : null;
      String owner = entry == null ? null : entry.getString("node");
      if (owner == null || owner.equals(self)) {
        message.fail(404, "no job " + id);
      } else if (!members.isAlive(owner)) {
        message.reply(JobDirectory.orphanSummary(id, entry));
      } else {
        bus.<JsonObject>request(Addresses.atNode(address, owner), message.body().copy().put("forwarded", true), FORWARDED)
          .onSuccess(reply -> message.reply(reply.body()))
          .onFailure(error -> {
            if (error instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
              message.fail(r.failureCode(), r.getMessage());
            } else if (error instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
              // Frozen or overloaded, not gone: it may well answer again.
              message.fail(503, "node " + owner + ", which coordinates job " + id + ", did not answer in time");
            } else {
              message.reply(JobDirectory.orphanSummary(id, entry)); // it went away just now
            }
          });
      }
    });
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
          accept(parsed.spec(), total).onSuccess(message::reply);
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

  /** Starts the job (or queues it) and answers once the cluster knows this node coordinates it. */
  private Future<JsonObject> accept(JobSpec spec, long total) {
    String id = UUID.randomUUID().toString();
    String output = Path.of(cfg.sinkDir(), spec.name(), id + ".jsonl").toString();
    Job job = new Job(id, self, spec, output, total);
    jobs.put(id, job);
    queued.add(job);
    startQueued();
    JsonObject accepted = new JsonObject().put("id", id).put("state", job.state.wire());
    return directory.register(id, self, spec.name(), output)
      .onFailure(error -> LOG.log(System.Logger.Level.WARNING,
        "job {0}: not in the cluster's job directory, only this node can answer for it: {1}", id, error.getMessage()))
      .transform(registered -> Future.succeededFuture(accepted));
  }

  private void onGet(Message<JsonObject> message, Job job) {
    message.reply(job.summary());
  }

  /** This node's jobs; unless forwarded, also those of every other live node. */
  private void onList(Message<JsonObject> message) {
    JsonArray list = new JsonArray();
    jobs.values().forEach(job -> list.add(job.summary()));
    if (message.body() != null && message.body().getBoolean("forwarded", false)) {
      message.reply(new JsonObject().put("jobs", list));
      return;
    }
    List<Future<Message<JsonObject>>> others = new ArrayList<>();
    for (String node : members.aliveIds()) {
      if (!node.equals(self)) {
        others.add(bus.request(Addresses.atNode(Addresses.JOBS_LIST, node), new JsonObject().put("forwarded", true), FORWARDED));
      }
    }
    Future.join(others).onComplete(all -> {
      for (Future<Message<JsonObject>> other : others) {
        if (other.succeeded()) {
          list.addAll(other.result().body().getJsonArray("jobs"));
        }
      }
      message.reply(new JsonObject().put("jobs", list));
    });
  }

  private void onCancel(Message<JsonObject> message, Job job) {
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
    members.drain();
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
    Future.join(finishing)
      .compose(done -> fetchersIdle())
      .onComplete(done -> message.reply(new JsonObject().put("jobs", live.size())));
  }

  /**
   * Tells this node's fetchers to take no more work and completes once each has answered every
   * try it took, so tries for other nodes' jobs end here or are sent elsewhere, never lost.
   */
  private Future<Void> fetchersIdle() {
    io.vertx.core.Promise<Void> idle = io.vertx.core.Promise.promise();
    int[] waiting = {cfg.fetchVerticles()};
    io.vertx.core.eventbus.MessageConsumer<JsonObject> answers = bus.localConsumer(Addresses.FETCH_IDLE);
    answers.handler(answer -> {
      if (--waiting[0] == 0) {
        answers.unregister();
        idle.tryComplete();
      }
    });
    return answers.completion().compose(v -> {
      bus.publish(Addresses.FETCH_DRAIN, new JsonObject());
      return idle.future();
    });
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
    if (!dispatcher.hasRoom() || job.inFlight.size() >= jobCap(job)) {
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
    if (job.source instanceof Crawl crawl && crawl.firstSightOf(HostKey.originOf(next.url()))) {
      readSitemapsOf(job, crawl, HostKey.originOf(next.url()));
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
    robots.verdict(HostKey.originOf(pending.request.url()), verdict -> {
      job.robotsWaiting--;
      pending.robotsChecked = true;
      if (job.ending != null) {
        emitCancelled(job, pending, "the job ended (" + job.ending.wire() + ") before this request started");
      } else if (!verdict.allows(pending.request.url())) {
        emitUnstarted(job, pending.request, "blocked", verdict.unavailable() != null ? verdict.unavailable()
          : "disallowed by robots.txt of " + HostKey.originOf(pending.request.url()));
      } else {
        job.gate.minGap(pending.host, Robots.crawlDelayMs(verdict));
        job.gate.park(pending.host, pending);
      }
      pump();
    });
  }


  /** One robots.txt fetch for {@link Robots}, through the fetchers like any other request. */
  private Future<Robots.Answer> fetchRobots(String url) {
    FetchRequest request = new FetchRequest("trawl-robots", -1, ++dispatchCounter, url, "GET", Map.of(), null,
      defaults.timeouts(), dev.trawl.parse.ParseSpec.DEFAULT, false, FetchRequest.Purpose.ROBOTS, null);
    return dispatcher.fetch(request).map(o -> {
      int status = o.ok() || o.errorKind() == ErrorKind.HTTP_STATUS ? o.status() : 0;
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
    dispatcher.fetch(request).onComplete(reply -> {
      crawl.sitemapsInFlight--;
      FetchOutcome read = reply.succeeded() ? reply.result() : null;
      if (read != null && read.ok() && job.ending == null) {
        crawl.fromSitemap(read.discovered());
        read.sitemaps().forEach(child -> readSitemap(job, crawl, child));
      }
      pump();
    });
  }

  /**
   * A job's own {@code limits.concurrency}, but never the fetchers' last slots: an eighth of
   * their capacity ({@code fetch.maxInFlight} summed over the live nodes) stays free for other
   * jobs, so a job stuck on a slow host cannot hold every slot and stall a job that arrives after it.
   */
  private int jobCap(Job job) {
    int capacity = dispatcher.capacity();
    int headroom = cfg.maxConcurrentJobs() > 1 ? Math.max(1, capacity / 8) : 0;
    return Math.min(job.spec.limits().concurrency(), Math.max(1, capacity - headroom));
  }

  /** A job held back only by {@code perHostDelayMs} is woken when its next host may start. */
  private void scheduleWake(Job job) {
    boolean full = !dispatcher.hasRoom() || job.inFlight.size() >= jobCap(job);
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
    FetchRequest request = fetchRequest(job, pending);
    long dispatchId = pending.dispatchId;
    dispatcher.fetch(request)
      .onComplete(reply -> onOutcome(job, pending, dispatchId, reply.succeeded() ? reply.result()
        : FetchOutcome.failed(request, null, pending.startedAt, elapsedMs(pending), ErrorKind.INTERNAL,
          "no answer from a fetcher: " + reply.cause().getMessage())));
  }

  private FetchRequest fetchRequest(Job job, Job.Pending pending) {
    RequestSpec req = pending.request;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.putAll(job.spec.headers());
    headers.putAll(req.headers());
    if (!job.cookies.isEmpty()) {
      String own = headers.keySet().stream().filter("cookie"::equalsIgnoreCase).findFirst()
        .map(headers::remove).orElse(null);
      headers.put("Cookie", CookieHeader.merge(job.cookies, CookieHeader.parse(own)));
    }
    Timeouts timeouts = req.timeouts() != null ? req.timeouts() : job.spec.timeouts();
    return new FetchRequest(job.id, req.index(), pending.dispatchId, req.url(), req.method(), headers, req.body(),
      timeouts, job.spec.parse(), job.spec.outputBody(), FetchRequest.Purpose.PAGE, job.spec.follow());
  }

  private void onOutcome(Job job, Job.Pending pending, long dispatchId, FetchOutcome outcome) {
    if (job.inFlight.get(pending.request.index()) != pending || pending.dispatchId != dispatchId) {
      // The request already has its result (cancelled, expired): a late answer is dropped, but
      // its fetch slot is free only now, so whatever waits for one may go.
      pump();
      return;
    }
    job.inFlight.remove(pending.request.index());
    job.gate.finished(pending.host, System.nanoTime());
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
      && job.spec.retry().retries(outcome.errorKind().wire(), outcome.errorKind() == ErrorKind.HTTP_STATUS ? outcome.status() : 0);
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
      : new JsonObject().put("kind", outcome.errorKind().wire()).put("message", outcome.errorMessage());
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
        directory.ended(job.id, self, summary).onFailure(error -> LOG.log(System.Logger.Level.WARNING,
          "job {0}: its final summary is not in the cluster's job directory: {1}", job.id, error.getMessage()));
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
