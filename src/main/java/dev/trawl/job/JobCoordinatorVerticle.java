package dev.trawl.job;

import dev.trawl.bus.Addresses;
import dev.trawl.bus.Rejection;
import dev.trawl.cluster.Members;
import dev.trawl.config.ClusterSettings;
import dev.trawl.config.FetchSettings;
import dev.trawl.config.JobSettings;
import dev.trawl.config.TrawlConfig;
import dev.trawl.fetch.FetchRequest;
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
import java.util.List;

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
    engine = new Engine(vertx, settings, FetchSettings.from(cfg), dispatcher, metrics);
    directory = new JobDirectory(vertx);
    admission = new Admission(vertx, settings, table, directory, engine::running);
    calls = new JobCalls(bus, self, members, table, directory);
    metrics.gauge("trawl.jobs.running", "Jobs running on this node", engine::running);
    metrics.gauge("trawl.jobs.queued", "Jobs waiting for a slot (jobs.maxConcurrent)", table::queuedCount);
    metrics.gauge("trawl.fetch.in.flight", "Requests handed to fetchers and not answered yet", dispatcher::inFlight);
    metrics.gauge("trawl.fetch.refetched", "Tries fetched again because the node fetching them was lost",
      dispatcher::resent);
    metrics.gauge("trawl.cluster.nodes", "Trawl nodes this node knows to be alive", () -> members.aliveIds().size());
    return Future.all(consumers()).compose(v -> members.start());
  }

  /**
   * Each call is served on its own address (any node answers) and on this node's (how the API
   * reaches this node, and how a node forwards a call to a job's coordinator).
   */
  private List<Future<Void>> consumers() {
    List<Future<Void>> consumers = new ArrayList<>();
    serve(consumers, Addresses.JOBS_SUBMIT, this::onSubmit);
    serve(consumers, Addresses.JOBS_GET, message -> answer(message, calls.onJob(message, Addresses.JOBS_GET, JobRun::summary)));
    serve(consumers, Addresses.JOBS_CANCEL, message -> answer(message, calls.onJob(message, Addresses.JOBS_CANCEL, this::cancel)));
    serve(consumers, Addresses.JOBS_LIST, message -> answer(message, calls.list(message)));
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
    return Future.succeededFuture();
  }

  // ---- the cluster -----------------------------------------------------------------------------

  /** A node was lost: what it was fetching for this node's jobs is fetched again elsewhere. */
  private void onNodeLost(String node) {
    LOG.log(System.Logger.Level.WARNING, "node {0} is gone; its tries are sent to the other nodes", node);
    engine.dispatcher().nodeLost(node);
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

  private void onSubmit(Message<JsonObject> message) {
    answer(message, admission.admit(message.body()).compose(run -> {
      Future<Void> registered = admission.register(run);
      startQueued();
      JsonObject accepted = new JsonObject().put("id", run.id()).put("state", run.summary().getString("state"));
      return registered.map(accepted);
    }));
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
    while (engine.running() < settings.maxConcurrent() && table.queuedCount() > 0) {
      begin(table.nextQueued());
    }
  }

  private void begin(JobRun run) {
    run.finished().onSuccess(summary -> onEnded(run, summary));
    new JobRunner(engine, run, this::startQueued).start();
  }

  private void onEnded(JobRun run, JsonObject summary) {
    directory.ended(run.id(), self, summary).onFailure(error -> LOG.log(System.Logger.Level.WARNING,
      "job {0}: its final summary is not in the cluster's job directory: {1}", run.id(), error.getMessage()));
    bus.publish(Addresses.done(run.id()), summary);
    table.ended(run);
  }

  // ---- stopping --------------------------------------------------------------------------------

  /** Before the node stops: every job ends as cancelled and its files are closed. */
  private void onDrain(Message<JsonObject> message) {
    admission.close();
    members.drain();
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
