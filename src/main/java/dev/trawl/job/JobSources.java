package dev.trawl.job;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/** Where a job's requests come from: its inline {@code requests}, its {@code requestsFile}, and for a crawl what it finds. */
final class JobSources {

  private JobSources() {
  }

  /**
   * Opens the job's source; a crawl wraps its own requests as the seeds. A {@code requestsFile}
   * is read through the handle opened at submit ({@link JobRun#takeRequestsFile()}), never by path.
   * A resumed job's source hands out only what has no line yet ({@link Remaining}).
   */
  static Future<RequestSource> open(Engine engine, JobRun run) {
    JobSpec spec = run.spec();
    RequestSpec.Defaults defaults = RequestSpec.Defaults.of(spec);
    RequestSource requests;
    if (spec.requests() != null) {
      requests = new InlineSource(spec.requests(), defaults);
    } else {
      RequestsFile file = run.takeRequestsFile();
      if (file == null) {
        return Future.failedFuture("job " + run.id() + ": its requestsFile was not opened at submit");
      }
      requests = new FileSource(engine.vertx().getOrCreateContext(), file, defaults);
    }
    JobRun.Resumption resumption = run.takeResumption();
    if (spec.follow() == null) {
      return Future.succeededFuture(resumption == null ? requests : new Remaining(requests, resumption.done(), skipped -> { },
        task -> engine.vertx().runOnContext(v -> task.run())));
    }
    String spill = run.output().replaceFirst("\\.jsonl$", ".frontier");
    return Future.succeededFuture(new Crawl(run, engine, requests, new Frontier(engine.vertx(), spill), resumption));
  }

  /** The source of a job that could not open its own: nothing, so it ends at once. */
  static RequestSource empty(JobRun run) {
    return new InlineSource(new JsonArray(), RequestSpec.Defaults.of(run.spec()));
  }
}
