package dev.trawl.job;

import dev.trawl.bus.Addresses;
import dev.trawl.bus.Rejection;
import dev.trawl.cluster.Members;
import dev.trawl.config.ClusterSettings;
import dev.trawl.config.FetchSettings;
import dev.trawl.config.JobSettings;
import dev.trawl.config.PolitenessSettings;
import dev.trawl.config.TrawlConfig;
import dev.trawl.fetch.FetchRequest;
import dev.trawl.web.HostKey;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The event-bus face of this node's jobs: takes submits, gets, cancels and lists (see
 * {@link Addresses}), starts queued jobs as slots free, and drains before the node stops. The
 * work itself is done by plain classes on this verticle's event loop: {@link Admission},
 * {@link JobCalls}, a {@link JobRunner} per running {@link JobRun}, and what they share in the
 * {@link Engine} (dispatcher, robots.txt, result recorder, pump).
 */
public class JobCoordinatorVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(JobCoordinatorVerticle.class.getName());

  private JobSettings settings;
  private EventBus bus;
  private String self;
  private Members members;
  private Engine engine;
  private JobTable table;
  private JobDirectory directory;
  private Admission admission;
  private JobCalls calls;
  private JobStore store;
  private HostLimits hosts;
  private HostPermits permits;
  /** Set by the drain: queued jobs stay queued (on disk) for the next start. */
  private boolean draining;
  /** The runners of the jobs running here (paused ones too), by job id. */
  private final Map<String, JobRunner> runners = new HashMap<>();

  @Override
  public Future<?> start() {
    TrawlConfig cfg = TrawlConfig.from(config());
    settings = JobSettings.from(cfg);
    bus = vertx.eventBus();
    self = settings.nodeId();
    members = new Members(vertx, ClusterSettings.from(cfg), settings.maxInFlight(), this::onNodeLost);
    table = new JobTable(settings.keepFinished());
    JobMetrics metrics = new JobMetrics();
    Dispatcher dispatcher = new Dispatcher(bus, members, this::onRefetch, this::stillWanted);
    store = new JobStore(vertx, settings);
    hosts = new HostLimits(PolitenessSettings.from(cfg));
    Runnable[] pump = {() -> { }};
    permits = new HostPermits(vertx, self, members, hosts, () -> pump[0].run(), ClusterSettings.from(cfg).nodeTimeoutMs());
    engine = new Engine(vertx, settings, FetchSettings.from(cfg), dispatcher, metrics, store, permits);
    pump[0] = engine::pump;
    directory = new JobDirectory(vertx);
    admission = new Admission(vertx, settings, table, directory, this::occupied);
    calls = new JobCalls(bus, self, members, table, directory);
    metrics.gauge("trawl.jobs.running", "Jobs running on this node", engine::running);
    metrics.gauge("trawl.jobs.queued", "Jobs waiting for a slot (jobs.maxConcurrent)", table::queuedCount);
    metrics.gauge("trawl.fetch.in.flight", "Requests handed to fetchers and not answered yet", dispatcher::inFlight);
    metrics.gauge("trawl.fetch.refetched", "Tries fetched again because the node fetching them was lost",
      dispatcher::resent);
    metrics.gauge("trawl.hosts.held", "Hosts holding tries back now: at their concurrency, paused, or within a Retry-After",
      hosts::held);
    metrics.gauge("trawl.hosts.throttled", "Hosts the adaptive politeness has slowed below their configured values",
      hosts::throttled);
    metrics.gauge("trawl.cluster.nodes", "Trawl nodes this node knows to be alive", () -> members.aliveIds().size());
    return resumeStored().compose(v -> Future.all(consumers())).compose(v -> members.start())
      .onSuccess(v -> startQueued());
  }

  /**
   * Each call is served on its own address (any node answers) and on this node's (how the API
   * reaches this node, and how a node forwards a call to a job's coordinator).
   */
  private List<Future<Void>> consumers() {
    List<Future<Void>> consumers = new ArrayList<>();
    serve(consumers, Addresses.JOBS_SUBMIT, this::onSubmit);
    serve(consumers, Addresses.JOBS_GET, message -> answer(message,
      calls.onJob(message, Addresses.JOBS_GET, run -> Future.succeededFuture(run.summary()))));
    serve(consumers, Addresses.JOBS_CANCEL, message -> answer(message, calls.onJob(message, Addresses.JOBS_CANCEL,
      run -> Future.succeededFuture(cancel(run)))));
    serve(consumers, Addresses.JOBS_PAUSE, message -> answer(message, calls.onJob(message, Addresses.JOBS_PAUSE, this::pause)));
    serve(consumers, Addresses.JOBS_RESUME, message -> answer(message, calls.onJob(message, Addresses.JOBS_RESUME, this::resume)));
    serve(consumers, Addresses.JOBS_LIST, message -> answer(message, calls.list(message)));
    serve(consumers, Addresses.HOSTS_LIST, message -> answer(message, Future.succeededFuture(new JsonObject()
      .put("hosts", hosts.list(limitOf(message.body()))))));
    serve(consumers, Addresses.HOSTS_GET, message -> answer(message, hostState(message.body())));
    consumers.add(bus.<JsonObject>consumer(Addresses.atNode(Addresses.HOSTS_PERMIT, self), permits::onPermit).completion());
    consumers.add(bus.<JsonObject>consumer(Addresses.atNode(Addresses.HOSTS_RELEASE, self), permits::onRelease).completion());
    serve(consumers, Addresses.HOSTS_SET, message -> answer(message, setHost(message.body())));
    serve(consumers, Addresses.HOSTS_CLEAR, message -> answer(message, clearHost(message.body())));
    consumers.add(bus.<JsonObject>consumer(Addresses.HOSTS_OVERRIDE, message -> onOverride(message.body())).completion());
    consumers.add(bus.<JsonObject>localConsumer(Addresses.NODE_DRAIN, this::onDrain).completion());
    consumers.add(bus.<JsonObject>localConsumer(Addresses.NODE_MEMBERS,
      message -> message.reply(new JsonObject().put("nodes", new JsonArray(members.aliveIds())))).completion());
    return consumers;
  }

  private void serve(List<Future<Void>> consumers, String address, Handler<Message<JsonObject>> handler) {
    consumers.add(bus.consumer(address, handler).completion());
    consumers.add(bus.consumer(Addresses.atNode(address, self), handler).completion());
  }

  /** Replies with the answer, or fails the call with its {@link Rejection} (500 for a bug). */
  private static void answer(Message<JsonObject> message, Future<JsonObject> answer) {
    answer.onSuccess(message::reply).onFailure(error -> {
      Rejection rejection = Rejection.of(error);
      if (rejection != null) {
        rejection.failReply(message);
      } else {
        LOG.log(System.Logger.Level.ERROR, "a call on " + message.address() + " failed", error);
        message.fail(500, String.valueOf(error.getMessage()));
      }
    });
  }

  @Override
  public Future<?> stop() {
    members.stop();
    store.close();
    return Future.succeededFuture();
  }

  // ---- hosts -----------------------------------------------------------------------------------

  private static int limitOf(JsonObject call) {
    Object limit = call == null ? null : call.getValue("limit");
    return limit instanceof Number n ? (int) Math.max(1, Math.min(10_000, n.longValue())) : 100;
  }

  /** A host's state, from the node that owns it (which counts every node's tries to it). */
  private Future<JsonObject> hostState(JsonObject call) {
    String host = call == null ? null : call.getString("host");
    if (host != null && HostKey.isHostPort(host) && !call.getBoolean("forwarded", false)) {
      String owner = permits.ownerOf(host);
      if (!owner.equals(self)) {
        return bus.<JsonObject>request(Addresses.atNode(Addresses.HOSTS_GET, owner), call.copy().put("forwarded", true))
          .map(Message::body).recover(error -> {
            Rejection rejection = Rejection.of(error);
            return rejection != null ? Future.failedFuture(rejection.asFailure()) : localHostState(host);
          });
      }
    }
    return localHostState(host);
  }

  private Future<JsonObject> localHostState(String host) {
    JsonObject state = host == null ? null : hosts.state(host);
    return state != null ? Future.succeededFuture(state)
      : Future.failedFuture(Rejection.notFound("no host " + host + " seen lately").asFailure());
  }

  /** A run-time override, for every node of the cluster: published, and applied here as it arrives. */
  private Future<JsonObject> setHost(JsonObject call) {
    String host = call == null ? null : call.getString("host");
    JsonObject change = call == null ? new JsonObject() : call.copy();
    change.remove("host");
    change.remove("forwarded");
    List<String> problems = new ArrayList<>(PolitenessSettings.problemsOfOverride(change, "host"));
    if (host == null || !HostKey.isHostPort(host)) {
      problems.add(0, "the host must be written host:port");
    }
    if (change.isEmpty()) {
      problems.add("give at least one of perHost, delayMs, paused");
    }
    if (!problems.isEmpty()) {
      return Future.failedFuture(Rejection.invalid("invalid host setting", problems).asFailure());
    }
    hosts.set(host, PolitenessSettings.HostOverride.of(change));
    bus.publish(Addresses.HOSTS_OVERRIDE, new JsonObject().put("host", host).put("set", change).put("from", self));
    permits.changed(host);
    engine.pump();
    return Future.succeededFuture(hosts.state(host));
  }

  private Future<JsonObject> clearHost(JsonObject call) {
    String host = call == null ? null : call.getString("host");
    if (host == null || !HostKey.isHostPort(host)) {
      return Future.failedFuture(Rejection.invalid("invalid host", List.of("the host must be written host:port")).asFailure());
    }
    hosts.clear(host);
    bus.publish(Addresses.HOSTS_OVERRIDE, new JsonObject().put("host", host).put("clear", true).put("from", self));
    permits.changed(host);
    engine.pump();
    JsonObject state = hosts.state(host);
    return Future.succeededFuture(state != null ? state : new JsonObject().put("host", host));
  }

  /** Another node's override (this node's own was applied when it was made). */
  private void onOverride(JsonObject change) {
    if (self.equals(change.getString("from"))) {
      return;
    }
    String host = change.getString("host");
    if (change.getBoolean("clear", false)) {
      hosts.clear(host);
    } else {
      hosts.set(host, PolitenessSettings.HostOverride.of(change.getJsonObject("set")));
    }
    permits.changed(host);
    engine.pump();
  }

  // ---- the cluster -----------------------------------------------------------------------------

  /** A node was lost: what it was fetching for this node's jobs is fetched again elsewhere. */
  private void onNodeLost(String node) {
    LOG.log(System.Logger.Level.WARNING, "node {0} is gone; its tries are sent to the other nodes", node);
    engine.dispatcher().nodeLost(node);
    permits.nodeLost(node);
    engine.pump();
  }

  /** A try of a job that has ended (or a robots.txt read) is not worth fetching again. */
  private boolean stillWanted(FetchRequest request) {
    JobRun run = table.get(request.jobId());
    return run == null ? request.purpose() == FetchRequest.Purpose.ROBOTS : !run.endIsDecided();
  }

  private void onRefetch(FetchRequest request) {
    JobRun run = table.get(request.jobId());
    if (run != null) {
      run.refetched();
    }
  }

  // ---- jobs ------------------------------------------------------------------------------------

  /** A job is answered as accepted once it is on disk ({@code jobs.durable}): a crash after the answer cannot lose it. */
  private void onSubmit(Message<JsonObject> message) {
    answer(message, admission.admit(message.body()).compose(run -> store.create(run, message.body())
      .recover(error -> {
        RequestsFile file = run.takeRequestsFile();
        Future<Void> closed = (file == null ? Future.<Void>succeededFuture() : file.close(vertx))
          .eventually(() -> store.discard(run));
        return closed.transform(v -> Future.failedFuture(Rejection.unavailable("the job could not be recorded on disk: "
          + error.getMessage()).asFailure()));
      })
      .compose(stored -> {
        Future<Void> registered = admission.register(run);
        startQueued();
        JsonObject accepted = new JsonObject().put("id", run.id()).put("state", run.summary().getString("state"));
        return registered.map(accepted);
      })));
  }

  /** The jobs this node's directory holds, read back: those that ended are listed, the others resumed. */
  private Future<Void> resumeStored() {
    return store.load().compose(loaded -> {
      loaded.finished().forEach(summary -> table.addEnded(JobRun.ended(self, summary)));
      List<JobStore.Stored> unfinished = new ArrayList<>(loaded.unfinished());
      // The jobs that were running go first, in the order they had started; then the queue.
      unfinished.sort(Comparator.comparing((JobStore.Stored s) -> s.state().getString("startedAt", "~")));
      Future<Void> chain = Future.succeededFuture();
      for (JobStore.Stored stored : unfinished) {
        chain = chain.compose(v -> readmit(stored));
      }
      return chain;
    });
  }

  private Future<Void> readmit(JobStore.Stored stored) {
    String id = stored.record().getString("id");
    return admission.readmit(stored).compose(run -> {
      table.enqueue(run);
      LOG.log(System.Logger.Level.INFO, "resuming job {0}: {1} of {2} done", id, run.nextSeq(), run.total());
      return store.save(run).compose(v -> admission.announce(run));
    }).recover(error -> {
      LOG.log(System.Logger.Level.ERROR, "job {0} cannot be resumed: {1}", id, error.getMessage());
      return Future.succeededFuture();
    });
  }

  /** No new try starts; tries in flight finish. A paused job does not hold a slot. */
  private Future<JsonObject> pause(JobRun run) {
    if (!run.pause()) {
      return Future.failedFuture(Rejection.conflict("job " + run.id() + " is " + run.summary().getString("state")
        + ": it cannot be paused").asFailure());
    }
    return store.save(run).map(v -> {
      directory.update(run.id(), self, run.summary());
      startQueued();
      return run.summary();
    });
  }

  private Future<JsonObject> resume(JobRun run) {
    if (!run.unpause()) {
      return Future.failedFuture(Rejection.conflict("job " + run.id() + " is " + run.summary().getString("state")
        + ", not paused: there is nothing to resume").asFailure());
    }
    return store.save(run).map(v -> {
      JobRunner runner = runners.get(run.id());
      if (runner != null) {
        runner.unpaused();
      }
      startQueued();
      directory.update(run.id(), self, run.summary());
      return run.summary();
    });
  }

  /** Jobs holding a slot ({@code jobs.maxConcurrent}): running and not paused. */
  private int occupied() {
    int count = 0;
    for (JobRunner runner : runners.values()) {
      count += runner.run().paused() ? 0 : 1;
    }
    return count;
  }

  private JsonObject cancel(JobRun run) {
    if (run.phase() == Phase.QUEUED) {
      table.unqueue(run);
      begin(run); // started to be ended at once: each request gets its cancelled line
    }
    run.stop(JobState.CANCELLED);
    return run.summary();
  }

  private void startQueued() {
    while (!draining && occupied() < settings.maxConcurrent()) {
      JobRun next = table.nextStartable();
      if (next == null) {
        return;
      }
      begin(next);
    }
  }

  private void begin(JobRun run) {
    run.finished().onSuccess(summary -> onEnded(run, summary));
    JobRunner runner = new JobRunner(engine, run, () -> {
      runners.remove(run.id());
      startQueued();
    });
    runners.put(run.id(), runner);
    runner.start();
    directory.update(run.id(), self, run.summary());
  }

  private void onEnded(JobRun run, JsonObject summary) {
    directory.ended(run.id(), self, summary).onFailure(error -> LOG.log(System.Logger.Level.WARNING,
      "job {0}: its final summary is not in the cluster's job directory: {1}", run.id(), error.getMessage()));
    bus.publish(Addresses.done(run.id()), summary);
    table.ended(run);
  }

  // ---- stopping --------------------------------------------------------------------------------

  /**
   * Before the node stops. Durable jobs are stopped to be resumed by the next start: tries in
   * flight get {@code jobs.stopGraceMs} to finish, and the files are closed. Otherwise every job
   * ends as cancelled and its files are closed.
   */
  private void onDrain(Message<JsonObject> message) {
    admission.close();
    draining = store.enabled();
    members.drain();
    if (store.enabled()) {
      List<Future<Void>> stopping = new ArrayList<>();
      new ArrayList<>(runners.values()).forEach(runner -> stopping.add(runner.suspend(settings.stopGraceMs())));
      Future.join(stopping)
        .compose(done -> fetchersIdle())
        .onComplete(done -> message.reply(new JsonObject().put("jobs", stopping.size())));
      return;
    }
    List<JobRun> live = table.live();
    table.clearQueue();
    List<Future<JsonObject>> finishing = new ArrayList<>();
    for (JobRun run : live) {
      if (run.phase() == Phase.QUEUED) {
        begin(run);
      }
      run.stop(JobState.CANCELLED); // no effect on a job whose end is decided
      finishing.add(run.finished());
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
    Promise<Void> idle = Promise.promise();
    MessageConsumer<JsonObject> answers = bus.localConsumer(Addresses.FETCH_IDLE);
    int fetchers = settings.fetchVerticles();
    answers.handler(new Handler<>() {
      private int waiting = fetchers;

      @Override
      public void handle(Message<JsonObject> answer) {
        if (--waiting == 0) {
          answers.unregister();
          idle.tryComplete();
        }
      }
    });
    return answers.completion().compose(v -> {
      bus.publish(Addresses.FETCH_DRAIN, new JsonObject());
      return idle.future();
    });
  }
}
