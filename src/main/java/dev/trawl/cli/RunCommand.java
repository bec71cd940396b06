package dev.trawl.cli;

import dev.trawl.TrawlVerticle;
import dev.trawl.bus.Addresses;
import dev.trawl.bus.Rejection;
import dev.trawl.bus.ReplyCodes;
import dev.trawl.config.ConfigException;
import dev.trawl.config.ConfigLoader;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code trawl run JOB.json [--out DIR] [--fresh] [-conf FILE]}: runs one job on an in-process node
 * without the HTTP API, shows progress on stderr, prints where the results are, and exits 0 when
 * the job succeeded. Every failure to even start is one line on stderr and exit code 2. A run
 * interrupted (Ctrl-C, SIGTERM, a kill) and started again with the same job and {@code --out}
 * resumes the same job ({@code jobs.durable}); {@code --fresh} starts over; another job is refused
 * rather than mixed in.
 */
public final class RunCommand {

  /** Exit code: the job succeeded. */
  public static final int OK = 0;
  /** Exit code: the job ran but did not succeed. */
  public static final int JOB_FAILED = 1;
  /** Exit code: the command could not even start (bad arguments, config or job). */
  public static final int USAGE = 2;

  private RunCommand() {
  }

  public static int main(String[] args) {
    return run(args, System.err);
  }

  /** Runs the command with its arguments; progress and errors go to {@code err}. */
  public static int run(String[] args, PrintStream err) {
    Arguments parsed;
    JsonObject job;
    JsonObject config;
    try {
      parsed = Arguments.parse(args);
      job = readJob(parsed.jobFile());
      config = nodeConfig(parsed);
    } catch (CliException | ConfigException e) {
      err.println("trawl: " + e.getMessage());
      return USAGE;
    }
    return runJob(job, config, err, parsed.fresh());
  }

  private static final String USAGE_LINE = "usage: trawl run JOB.json [--out DIR] [--fresh] [-conf FILE]";

  record Arguments(String jobFile, String outDir, String conf, boolean fresh) {
    static Arguments parse(String[] args) {
      String jobFile = null;
      String out = null;
      String conf = null;
      boolean fresh = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--out", "-out" -> out = valueAfter(args, i++);
          case "-conf", "--conf" -> conf = valueAfter(args, i++);
          case "--fresh", "-fresh" -> fresh = true;
          default -> {
            if (args[i].startsWith("-") || jobFile != null) {
              throw new CliException("unexpected argument " + args[i] + "; " + USAGE_LINE);
            }
            jobFile = args[i];
          }
        }
      }
      if (jobFile == null) {
        throw new CliException(USAGE_LINE);
      }
      return new Arguments(jobFile, out, conf, fresh);
    }

    private static String valueAfter(String[] args, int i) {
      if (i + 1 >= args.length) {
        throw new CliException(args[i] + " needs a value");
      }
      return args[i + 1];
    }
  }

  private static JsonObject readJob(String file) {
    try {
      return new JsonObject(Files.readString(Path.of(file)));
    } catch (IOException e) {
      throw new CliException("cannot read job file " + file + ": " + e.getMessage());
    } catch (DecodeException | ClassCastException e) {
      throw new CliException("job file " + file + " is not a JSON object");
    }
  }

  private static JsonObject nodeConfig(Arguments args) {
    JsonObject given = args.conf() == null ? new JsonObject() : ConfigLoader.readArgument(args.conf());
    JsonObject effective = ConfigLoader.effectiveWithoutApi(given, System.getenv()).json();
    effective.getJsonObject("http").put("enabled", false);
    if (args.outDir() != null) {
      effective.getJsonObject("sink").put("dir", args.outDir());
    }
    return effective;
  }

  /**
   * Runs {@code job} on an in-process node with the effective {@code config}, progress on
   * {@code err}; returns the exit code ({@link #OK}, {@link #JOB_FAILED} or {@link #USAGE}).
   */
  public static int runJob(JsonObject job, JsonObject config, PrintStream err) {
    return runJob(job, config, err, true);
  }

  /**
   * As {@link #runJob(JsonObject, JsonObject, PrintStream)}; unless {@code fresh}, the same job
   * left unfinished in the output directory is resumed rather than started again.
   */
  public static int runJob(JsonObject job, JsonObject config, PrintStream err, boolean fresh) {
    if (!(job.getValue("requestsFile") instanceof String file)) {
      return runOnNode(job, config, err, fresh);
    }
    Path real;
    try {
      real = realPath(file);
    } catch (InvalidPathException e) {
      err.println("trawl: requestsFile is not a path: " + e.getReason());
      return USAGE;
    }
    JsonObject local = config.copy();
    local.getJsonObject("jobs").put("requestsFileDir", (real.getParent() == null ? real : real.getParent()).toString());
    return runOnNode(job.copy().put("requestsFile", real.toString()), local, err, fresh);
  }

  private static int runOnNode(JsonObject job, JsonObject config, PrintStream err, boolean fresh) {
    String resuming;
    try {
      resuming = Unfinished.resumable(job, config, fresh);
    } catch (CliException e) {
      err.println("trawl: " + e.getMessage());
      return USAGE;
    }
    Vertx vertx = Vertx.vertx(NodeOptions.apply(new io.vertx.core.VertxOptions()));
    Thread interrupt = new Thread(() -> drain(vertx));
    Runtime.getRuntime().addShutdownHook(interrupt);
    try {
      vertx.deployVerticle(TrawlVerticle::new, new DeploymentOptions().setConfig(config)).await();
      return submitAndWait(vertx, job, resuming, err);
    } catch (ReplyException e) {
      err.println("trawl: " + describe(e));
      return USAGE;
    } catch (RuntimeException e) {
      err.println("trawl: " + e.getMessage());
      return USAGE;
    } finally {
      removeHook(interrupt);
      vertx.close().await();
    }
  }

  /**
   * The CLI's user may name any regular file (the node still refuses a FIFO, a device or a /proc
   * file): the in-process node, which has no API, is given the file's own directory as its
   * {@code jobs.requestsFileDir}, and the job the file's real path, so both checks pass for this
   * file whatever links lead to it. A file that is not there is left for the node to report.
   */
  private static Path realPath(String file) {
    Path given = Path.of(file).toAbsolutePath().normalize();
    try {
      return given.toRealPath();
    } catch (IOException e) {
      return given;
    }
  }

  /** Submits the job, or with {@code resuming} (its id) waits for the job the node resumed; returns the exit code. */
  private static int submitAndWait(Vertx vertx, JsonObject job, String resuming, PrintStream err) {
    Promise<JsonObject> done = Promise.promise();
    Progress progress = new Progress(err);
    String id = resuming != null ? resuming
      : vertx.eventBus().<JsonObject>request(Addresses.JOBS_SUBMIT, job).await().body().getString("id");
    vertx.eventBus().<JsonObject>consumer(Addresses.done(id), message -> done.tryComplete(message.body()))
      .completion().await();
    long timer = vertx.setPeriodic(500, t -> vertx.eventBus().<JsonObject>request(Addresses.JOBS_GET,
      new JsonObject().put("id", id)).onSuccess(reply -> progress.show(reply.body())));
    JsonObject current = vertx.eventBus().<JsonObject>request(Addresses.JOBS_GET, new JsonObject().put("id", id))
      .await().body();
    if (resuming != null) {
      err.println("trawl: resuming job " + id + ": " + current.getLong("done") + " of " + current.getLong("total") + " done");
    }
    if (current.getString("endedAt") != null) {
      done.tryComplete(current);
    }
    JsonObject summary = done.future().await();
    vertx.cancelTimer(timer);
    progress.finish(summary);
    return "succeeded".equals(summary.getString("state")) ? OK : JOB_FAILED;
  }

  private static String describe(ReplyException e) {
    Rejection rejection = Rejection.of(e);
    if (rejection != null && rejection.code() == ReplyCodes.INVALID) {
      return "invalid job: " + String.join("; ", rejection.problems());
    }
    return e.getMessage();
  }

  /**
   * Ctrl-C or SIGTERM during a run: the node stops its job to be resumed (or, not durable,
   * cancels it), so what it fetched reaches the disk.
   */
  private static void drain(Vertx vertx) {
    try {
      vertx.eventBus().request(Addresses.NODE_DRAIN, new JsonObject())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("trawl: stopping without a full drain: " + e);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it drains and closes
    }
  }

  static final class CliException extends RuntimeException {
    CliException(String message) {
      super(message, null, false, false);
    }
  }
}
