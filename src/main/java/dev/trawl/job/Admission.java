package dev.trawl.job;

import dev.trawl.bus.Rejection;
import dev.trawl.config.JobSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * Whether a submitted job is taken: a valid spec, room in the queue, a {@code requestsFile} that
 * may be read and is not over {@code jobs.maxRequests}, and a node that is not stopping. A taken
 * job is queued here and registered in the cluster's job directory. Every refusal is a
 * {@link Rejection} (400, 429 or 503).
 */
final class Admission {

  private static final System.Logger LOG = System.getLogger(Admission.class.getName());

  private final Vertx vertx;
  private final JobSettings settings;
  private final JobTable table;
  private final JobDirectory directory;
  private final IntSupplier running;
  /** Set when the node is stopping: no new job is accepted. */
  private boolean closed;

  Admission(Vertx vertx, JobSettings settings, JobTable table, JobDirectory directory, IntSupplier running) {
    this.vertx = vertx;
    this.settings = settings;
    this.table = table;
    this.directory = directory;
    this.running = running;
  }

  /** The node is stopping: every later submit is refused with 503. */
  void close() {
    closed = true;
  }

  /** Inline requests validated on the event loop; a longer list is validated on a worker. */
  private static final int INLINE_ON_LOOP = 256;

  /** A new job, validated and counted, not queued yet; fails with a {@link Rejection}. */
  Future<JobRun> admit(JsonObject body) {
    if (body == null) {
      return Future.failedFuture(Rejection.invalidJob(List.of("the job must be a JSON object")).asFailure());
    }
    if (closed) {
      return Future.failedFuture(stopping());
    }
    return parse(body).compose(this::admitParsed);
  }

  /**
   * Validates the job: in place when small, on a worker when it carries many inline requests
   * (thousands of URLs take longer to check than an event loop may be held).
   */
  private Future<JobSpec.Parsed> parse(JsonObject body) {
    boolean many = body.getValue("requests") instanceof JsonArray requests && requests.size() > INLINE_ON_LOOP;
    if (many) {
      return vertx.executeBlocking(() -> JobSpec.parse(body, settings.defaults(), settings.maxRequests(), rules()), false);
    }
    return Future.succeededFuture(JobSpec.parse(body, settings.defaults(), settings.maxRequests(), rules()));
  }

  private JobSpec.NodeRules rules() {
    return new JobSpec.NodeRules(settings.robotsDefault(), settings.proxies(), settings.allowJobProxies());
  }

  private Future<JobRun> admitParsed(JobSpec.Parsed parsed) {
    if (closed) {
      return Future.failedFuture(stopping());
    }
    if (!parsed.problems().isEmpty()) {
      return Future.failedFuture(Rejection.invalidJob(parsed.problems().list()).asFailure());
    }
    if (running.getAsInt() >= settings.maxConcurrent() && table.queuedCount() >= settings.queueCapacity()) {
      return Future.failedFuture(Rejection.queueFull().asFailure());
    }
    JobSpec spec = parsed.spec();
    return validatorsFor(spec, true).compose(validators -> {
      if (spec.requests() != null) {
        return Future.succeededFuture(create(spec, null, validators));
      }
      return openRequestsFile(spec).compose(file -> {
        if (closed) {
          return file.close(vertx).transform(v -> Future.failedFuture(stopping()));
        }
        return Future.succeededFuture(create(spec, file, validators));
      });
    });
  }

  /**
   * What the job {@code since} names learnt of each URL. It must be a finished job of the same name
   * on this node: otherwise a new job is refused ({@code strict}), and a resumed one goes on
   * without (the earlier job may have been forgotten meanwhile).
   */
  private Future<Validators> validatorsFor(JobSpec spec, boolean strict) {
    if (spec.since() == null) {
      return Future.succeededFuture(Validators.NONE);
    }
    JobRun earlier = table.get(spec.since());
    String problem = earlier == null ? "no job " + spec.since() + " on this node"
      : !earlier.spec().name().equals(spec.name()) ? "job " + spec.since() + " is named " + earlier.spec().name()
        + ", not " + spec.name()
      : earlier.phase() != Phase.DONE ? "job " + spec.since() + " has not finished" : null;
    if (problem != null) {
      return strict ? Future.failedFuture(Rejection.invalidJob(List.of("since: " + problem)).asFailure())
        : Future.succeededFuture(Validators.NONE);
    }
    boolean keepLinks = spec.follow() != null;
    return vertx.executeBlocking(() -> Validators.read(Path.of(earlier.output()), keepLinks), false)
      .recover(error -> strict
        ? Future.failedFuture(Rejection.invalidJob(List.of("since: the results of job " + spec.since()
          + " cannot be read")).asFailure())
        : Future.succeededFuture(Validators.NONE));
  }

  /**
   * A job read back from its files as the node starts: parsed again as it was submitted, its
   * {@code requestsFile} opened again (and checked again) under this node's config.
   */
  Future<JobRun> readmit(JobStore.Stored stored) {
    JsonObject body = stored.record().getJsonObject("job");
    return parse(body).compose(parsed -> {
      if (!parsed.problems().isEmpty()) {
        return Future.failedFuture("the job is no longer valid: " + String.join("; ", parsed.problems().list()));
      }
      JobSpec spec = parsed.spec();
      Future<RequestsFile> file = spec.requests() != null ? Future.succeededFuture() : openRequestsFile(spec);
      return validatorsFor(spec, false).compose(validators -> file.map(opened -> {
        JobRun run = JobRun.resumed(settings.nodeId(), spec, stored.record(), stored.state(), stored.progress(),
          stored.journal(), opened);
        run.useValidators(validators);
        return run;
      }));
    });
  }

  private static RuntimeException stopping() {
    return Rejection.unavailable("this node is stopping and accepts no new jobs").asFailure();
  }

  private JobRun create(JobSpec spec, RequestsFile file, Validators validators) {
    String id = UUID.randomUUID().toString();
    String output = Path.of(settings.sinkDir(), spec.name(), id + ".jsonl").toString();
    long total = file == null ? spec.requests().size() : file.requests();
    JobRun run = new JobRun(id, settings.nodeId(), spec, output, total, file);
    run.useValidators(validators);
    return run;
  }

  /** Queues the job; completes once the cluster knows this node coordinates it (or could not be told). */
  Future<Void> register(JobRun run) {
    table.enqueue(run);
    return announce(run);
  }

  /** Tells the cluster's job directory that this node coordinates the job. */
  Future<Void> announce(JobRun run) {
    String id = run.id();
    return directory.register(id, settings.nodeId(), run.spec().name(), run.output())
      .onFailure(error -> LOG.log(System.Logger.Level.WARNING,
        "job {0}: not in the cluster's job directory, only this node can answer for it: {1}", id, error.getMessage()))
      .otherwiseEmpty();
  }

  /**
   * Opens and counts the job's {@code requestsFile} on a worker thread, once: the handle is the
   * one the job reads (see {@link RequestsFile}). Refused when the node has no
   * {@code jobs.requestsFileDir}, when the path is outside it (checked first on the path alone, so
   * nothing outside is even looked at), and when the file is over {@code jobs.maxRequests}.
   */
  private Future<RequestsFile> openRequestsFile(JobSpec spec) {
    String file = spec.requestsFile();
    if (!settings.requestsFileEnabled()) {
      return refused(RequestsFile.NOT_ENABLED);
    }
    if (!settings.allowsRequestsFile(file)) {
      return refused(RequestsFile.outside(file, settings.requestsFileDir()));
    }
    return vertx.executeBlocking(() -> RequestsFile.open(settings.requestsFileDir(), file, settings.maxRequests()), false)
      .recover(error -> refused(error instanceof RequestsFile.Refused ? error.getMessage() : "requestsFile: cannot be read"));
  }

  private static <T> Future<T> refused(String problem) {
    return Future.failedFuture(Rejection.invalidJob(List.of(problem)).asFailure());
  }
}
