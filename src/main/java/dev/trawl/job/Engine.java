package dev.trawl.job;

import dev.trawl.bus.Addresses;
import dev.trawl.config.FetchSettings;
import dev.trawl.config.JobSettings;
import dev.trawl.error.ErrorKind;
import dev.trawl.fetch.FetchGuard;
import dev.trawl.fetch.FetchOutcome;
import dev.trawl.fetch.FetchRequest;
import dev.trawl.parse.ParseSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * What every job on this coordinator shares: the dispatcher to the fetchers, the robots.txt
 * cache, the result recorder with its sink window, the pump, and the node's settings, among them
 * the guard every try of this coordinator carries. One per coordinator, on its event loop.
 */
final class Engine {

  /** Tries of robots.txt are sent under this job id; they belong to no job. */
  static final String ROBOTS_JOB = "trawl-robots";

  private final Vertx vertx;
  private final JobSettings settings;
  private final FetchGuard guard;
  private final Dispatcher dispatcher;
  private final Robots robots;
  private final ResultRecorder recorder;
  private final Pump pump;
  private final JobStore store;
  private final HostPermits hosts;
  private long dispatchCounter;
  /** The node's pool in turn, for robots.txt (read once per host for every job). */
  private final ProxyRotation robotsProxies;

  /**
   * @param fetch this node's fetch settings: their guard ({@link FetchGuard}) goes on every try this
   *              coordinator sends, so the node that fetches applies this node's rules, not its own
   */
  Engine(Vertx vertx, JobSettings settings, FetchSettings fetch, Dispatcher dispatcher, JobMetrics metrics,
         JobStore store, HostPermits hosts) {
    this.store = store;
    this.hosts = hosts;
    this.vertx = vertx;
    this.settings = settings;
    this.guard = FetchGuard.of(fetch);
    this.dispatcher = dispatcher;
    this.robots = new Robots(vertx, settings.userAgent(), this::fetchRobots);
    this.robotsProxies = new ProxyRotation(new ProxyPlan(settings.proxies(), false));
    this.recorder = new ResultRecorder(vertx.eventBus(), metrics, this::pump);
    this.pump = new Pump(recorder::hasRoom, task -> vertx.runOnContext(v -> task.run()));
  }

  Vertx vertx() {
    return vertx;
  }

  EventBus bus() {
    return vertx.eventBus();
  }

  JobSettings settings() {
    return settings;
  }

  /** The private-network guard and limits every try of this coordinator carries. */
  FetchGuard guard() {
    return guard;
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  Robots robots() {
    return robots;
  }

  ResultRecorder recorder() {
    return recorder;
  }

  /** The hosts' limits, shared by every job and every node ({@code politeness}). */
  HostPermits hosts() {
    return hosts;
  }

  /** Where job state is kept ({@code jobs.durable}). */
  JobStore store() {
    return store;
  }

  boolean durable() {
    return store.enabled();
  }

  /** Appends lines to a durable job's journal (see {@link JobStore}), before its next results. */
  void journal(JobRun run, String lines) {
    bus().send(Addresses.SINK_JOURNAL, new JsonObject().put("jobId", run.id()).put("lines", lines));
  }

  /** A job starts running: the pump steps it from now on. */
  void addLane(Pump.Lane lane) {
    pump.add(lane);
  }

  void removeLane(Pump.Lane lane) {
    pump.remove(lane);
  }

  /** Jobs running on this coordinator. */
  int running() {
    return pump.size();
  }

  void pump() {
    pump.run();
  }

  /** Unique per try on this coordinator, so a late answer to an earlier try is recognised. */
  long nextDispatchId() {
    return ++dispatchCounter;
  }

  /**
   * A job's own {@code limits.concurrency}, but never the fetchers' last slots: an eighth of
   * their capacity ({@code fetch.maxInFlight} summed over the live nodes) stays free for other
   * jobs, so a job stuck on a slow host cannot hold every slot and stall a job that arrives after it.
   */
  int jobCap(JobSpec spec) {
    int capacity = dispatcher.capacity();
    int headroom = settings.maxConcurrent() > 1 ? Math.max(1, capacity / 8) : 0;
    return Math.min(spec.limits().concurrency(), Math.max(1, capacity - headroom));
  }

  /** One robots.txt fetch for {@link Robots}, through the fetchers like any other request. */
  private Future<Robots.Answer> fetchRobots(String url) {
    // robots.txt is read once per host for every job: through the node's pool when it has one
    FetchRequest request = new FetchRequest(ROBOTS_JOB, -1, nextDispatchId(), url, "GET", Map.of(), null,
      settings.defaults().timeouts(), ParseSpec.DEFAULT, false, FetchRequest.Purpose.ROBOTS, null, guard,
      robotsProxies.forUrl(url));
    return dispatcher.fetch(request).map(o -> o.ok() || o.errorKind() == ErrorKind.HTTP_STATUS
      ? Robots.Answer.answered(o.status(), o.contentType(), o.body())
      : Robots.Answer.failed(o.errorKind(), o.errorMessage()));
  }

  /**
   * One sitemap of a crawl, read by a fetcher, which also finds its pages or child sitemaps;
   * {@code headers} are the job's, less its credentials where the crawl does not trust the URL.
   */
  Future<FetchOutcome> fetchSitemap(JobRun run, String url, Map<String, String> headers) {
    JobSpec spec = run.spec();
    FetchRequest request = new FetchRequest(run.id(), -1, nextDispatchId(), url, "GET", headers, null,
      spec.timeouts(), ParseSpec.DEFAULT, false, FetchRequest.Purpose.SITEMAP, spec.follow(), guard, run.proxyFor(url));
    return dispatcher.fetch(request);
  }
}
