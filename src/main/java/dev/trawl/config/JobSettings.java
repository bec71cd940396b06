package dev.trawl.config;

/**
 * What the job coordinator needs of the node config, read once. Built only by {@link #from}.
 *
 * @param maxRequests     {@code jobs.maxRequests}: the most requests one job may have
 * @param maxConcurrent   {@code jobs.maxConcurrent}: jobs running at once on this node; more wait in the queue
 * @param keepFinished    {@code jobs.keepFinished}: finished jobs whose summaries this node remembers
 * @param requestsFileDir {@code jobs.requestsFileDir}: where a job's {@code requestsFile} must lie (its real
 *                        path); empty, the default: a job submitted over the API or the event bus may
 *                        not name a {@code requestsFile} at all
 * @param queueCapacity   {@code queue.capacity}: jobs that may wait for a slot before a submit gets 429
 * @param maxRetryAfterMs {@code fetch.maxRetryAfterMs}: the longest {@code Retry-After} honoured; longer is cut to it
 * @param robotsDefault   {@code fetch.robots}: {@code obey} or {@code ignore}, for jobs that do not say
 * @param maxInFlight     {@code fetch.maxInFlight}: fetches in flight on this node, announced as its capacity
 * @param fetchVerticles  {@code fetch.verticles}: fetch verticle instances on this node
 * @param nodeId          {@code node.id}, or {@code pid@host} when that is empty: the coordinator's name
 * @param userAgent       {@code fetch.userAgent}: the agent robots.txt rules are matched against
 * @param sinkDir         {@code sink.dir}: where a job's results file is made
 * @param defaults        {@code limits}, {@code timeouts} and {@code retry}: what a job falls back to
 * @param durable         {@code jobs.durable}: job state is kept beside the results and resumed after a restart
 * @param stopGraceMs     {@code jobs.stopGraceMs}: a stopping node lets tries in flight finish this long, then aborts them
 * @param proxies         {@code fetch.proxies}: the node's proxy pool
 * @param allowJobProxies {@code fetch.allowJobProxies}: whether a job may name proxies of its own
 */
public record JobSettings(long maxRequests, int maxConcurrent, int keepFinished, String requestsFileDir,
                          int queueCapacity, long maxRetryAfterMs, String robotsDefault, int maxInFlight,
                          int fetchVerticles, String nodeId, String userAgent, String sinkDir, JobDefaults defaults,
                          boolean durable, long stopGraceMs, java.util.List<dev.trawl.fetch.Proxy> proxies,
                          boolean allowJobProxies) {

  public static JobSettings from(TrawlConfig cfg) {
    return new JobSettings(cfg.maxRequestsPerJob(), cfg.maxConcurrentJobs(), cfg.keepFinishedJobs(),
      cfg.requestsFileDir(), cfg.queueCapacity(), cfg.maxRetryAfterMs(), cfg.robotsDefault(), cfg.maxInFlight(),
      cfg.fetchVerticles(), cfg.nodeId(), cfg.userAgent(), cfg.sinkDir(), JobDefaults.of(cfg),
      cfg.durableJobs(), cfg.stopGraceMs(), cfg.proxies().stream().map(dev.trawl.fetch.Proxy::parse).toList(),
      cfg.allowJobProxies());
  }

  /** Whether jobs may name a {@code requestsFile} on this node: only when {@link #requestsFileDir} is set. */
  public boolean requestsFileEnabled() {
    return !requestsFileDir.isEmpty();
  }

  /**
   * Whether {@code file}, as written, lies under {@link #requestsFileDir} (no I/O, links not
   * followed; true when no directory is set, which {@link #requestsFileEnabled} refuses first).
   * The first of two checks: the job engine then checks the real path as it opens the file.
   */
  public boolean allowsRequestsFile(String file) {
    return requestsFileDir.isEmpty() || Confinement.inside(requestsFileDir, file);
  }
}
