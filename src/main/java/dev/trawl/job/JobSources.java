package dev.trawl.job;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/** Where a job's requests come from: its inline {@code requests}, its {@code requestsFile}, and for a crawl what it finds. */
final class JobSources {

  private JobSources() {
  }

  /** Opens the job's source; a crawl wraps its own requests as the seeds. */
  static Future<RequestSource> open(Engine engine, JobRun run) {
    JobSpec spec = run.spec();
    Future<RequestSource> requests = spec.requests() != null
      ? Future.succeededFuture(new InlineSource(spec.requests(), spec.timeouts()))
      : FileSource.open(engine.vertx(), spec.requestsFile(), spec.timeouts());
    if (spec.follow() == null) {
      return requests;
    }
    String spill = run.output().replaceFirst("\\.jsonl$", ".frontier");
    return requests.map(seeds -> new Crawl(run, engine, seeds, new Frontier(engine.vertx(), spill)));
  }

  /** The source of a job that could not open its own: nothing, so it ends at once. */
  static RequestSource empty(JobRun run) {
    return new InlineSource(new JsonArray(), run.spec().timeouts());
  }
}
