package dev.trawl;

/** Every event-bus address Trawl uses, in one place (see SPEC "Event bus"). */
public final class Addresses {

  /** Submit a job: request a job JSON, reply {@code {"id"}} or fail with 400 and the problems, 429 when full. */
  public static final String JOBS_SUBMIT = "trawl.jobs.submit";
  /** Get one summary: request {@code {"id"}}, reply the summary or fail with 404. */
  public static final String JOBS_GET = "trawl.jobs.get";
  /** List the summaries: reply {@code {"jobs": [...]}}. */
  public static final String JOBS_LIST = "trawl.jobs.list";
  /** Cancel a job: request {@code {"id"}}, reply the summary or fail with 404. */
  public static final String JOBS_CANCEL = "trawl.jobs.cancel";
  /** The fetch queue: a {@code FetchRequest} in, a {@code FetchOutcome} back. */
  public static final String FETCH = "trawl.fetch";
  /** Published {@code {"jobId"}}: fetchers abort that job's in-flight exchanges. */
  public static final String FETCH_ABORT = "trawl.fetch.abort";
  /** Local to a node: the sink's inbox for result lines, opens and closes. */
  public static final String SINK_WRITE = "trawl.sink.write";
  public static final String SINK_OPEN = "trawl.sink.open";
  public static final String SINK_CLOSE = "trawl.sink.close";
  /**
   * Local: reply {@code {"length"}}, the bytes of {@code {"jobId"}}'s file known to be written
   * whole (readable, not fsynced); no length once the file is closed and complete.
   */
  public static final String SINK_FLUSH = "trawl.sink.flush";
  /** Local: end every running job as cancelled and reply once its summary is on disk. */
  public static final String NODE_DRAIN = "trawl.node.drain";

  private Addresses() {
  }

  /** Each result of a job is published here as it completes. */
  public static String results(String jobId) {
    return "trawl.results." + jobId;
  }

  /** A job's summary is published here when the job ends. */
  public static String done(String jobId) {
    return "trawl.jobs." + jobId + ".done";
  }
}
