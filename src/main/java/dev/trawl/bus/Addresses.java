package dev.trawl.bus;

/** Every event-bus address Trawl uses, in one place (see SPEC "Event bus"). */
public final class Addresses {

  /** Hosts active lately: request {@code {"limit"}}, reply {@code {"hosts": [state, …]}}, most active first. */
  public static final String HOSTS_LIST = "trawl.hosts.list";
  /** One host's shared state: request {@code {"host"}} ({@code host:port}), reply the state or fail 404. */
  public static final String HOSTS_GET = "trawl.hosts.get";
  /** A run-time override: request {@code {"host", "perHost"?, "delayMs"?, "paused"?}}, reply the state; 400 when invalid. */
  public static final String HOSTS_SET = "trawl.hosts.set";
  /** Drops a host's run-time override: request {@code {"host"}}, reply the state. */
  public static final String HOSTS_CLEAR = "trawl.hosts.clear";
  /** At a host's owner ({@link #atNode}): a permit for one try, {@code {"host", "obeysRobots", "crawlDelayMs"}}; replied when granted. */
  public static final String HOSTS_PERMIT = "trawl.hosts.permit";
  /** At a host's owner, no reply: a permit given back, with how the try went ({@code status}, {@code retryAfterMs}, …) when it had an answer. */
  public static final String HOSTS_RELEASE = "trawl.hosts.release";
  /** Published to every node: {@code {"host", "set": {...}}} or {@code {"host", "clear": true}}. */
  public static final String HOSTS_OVERRIDE = "trawl.hosts.override";

  /** Submit a job: request a job JSON, reply {@code {"id"}} or fail with 400 and the problems, 429 when full. */
  public static final String JOBS_SUBMIT = "trawl.jobs.submit";
  /** Get one summary: request {@code {"id"}}, reply the summary or fail with 404. */
  public static final String JOBS_GET = "trawl.jobs.get";
  /** List the summaries: reply {@code {"jobs": [...]}}. */
  public static final String JOBS_LIST = "trawl.jobs.list";
  /** Cancel a job: request {@code {"id"}}, reply the summary or fail with 404. */
  public static final String JOBS_CANCEL = "trawl.jobs.cancel";
  /** {@code {"id"}}: no new try of the job starts; reply its summary, or fail 409 when it cannot be paused. */
  public static final String JOBS_PAUSE = "trawl.jobs.pause";
  /** {@code {"id"}}: a paused job goes on; reply its summary, or fail 409 when it is not paused. */
  public static final String JOBS_RESUME = "trawl.jobs.resume";
  /**
   * The fetch queue of one node (see {@link #atNode}): a {@code FetchRequest} in, a
   * {@code FetchOutcome} back. A coordinator picks the node; the node's fetchers share it.
   */
  public static final String FETCH = "trawl.fetch";
  /** Published {@code {"jobId"}}: fetchers abort that job's in-flight exchanges. */
  public static final String FETCH_ABORT = "trawl.fetch.abort";
  /** Local to a node: the sink's inbox for result lines, opens and closes. */
  public static final String SINK_WRITE = "trawl.sink.write";
  public static final String SINK_OPEN = "trawl.sink.open";
  /** Lines for a job's journal, no reply: {@code {"jobId", "lines"}}; written before the job's next results. */
  public static final String SINK_JOURNAL = "trawl.sink.journal";
  public static final String SINK_CLOSE = "trawl.sink.close";
  /**
   * Local: reply {@code {"length"}}, the bytes of {@code {"jobId"}}'s file known to be written
   * whole (readable, not fsynced); no length once the file is closed and complete.
   */
  public static final String SINK_FLUSH = "trawl.sink.flush";
  /** Local: end every running job as cancelled and reply once its summary is on disk. */
  public static final String NODE_DRAIN = "trawl.node.drain";
  /** Local: reply {@code {"nodes": [...]}}, the Trawl nodes this node knows to be alive. */
  public static final String NODE_MEMBERS = "trawl.node.members";
  /** Published by every node each {@code cluster.heartbeatMs}: {@code {"node", "capacity", "draining", ...}}. */
  public static final String NODE_BEAT = "trawl.node.beat";
  /** Local, published: fetchers refuse new work (503) and each answers on {@link #FETCH_IDLE} when it has none. */
  public static final String FETCH_DRAIN = "trawl.fetch.drain";
  public static final String FETCH_IDLE = "trawl.fetch.idle";
  /**
   * Of one node (see {@link #atNode}): request {@code {"path", "position", "max"}} of a results
   * file there; reply the bytes from {@code position} that are written whole (empty when none yet).
   */
  public static final String SINK_READ = "trawl.sink.read";

  private Addresses() {
  }

  /**
   * {@code address} as served by one node only: how a coordinator reaches a chosen node's
   * fetchers, and how any node forwards a call about a job to the node that coordinates it.
   */
  public static String atNode(String address, String node) {
    return address + "@" + node;
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
