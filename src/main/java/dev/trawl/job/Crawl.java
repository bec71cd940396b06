package dev.trawl.job;

import dev.trawl.fetch.FetchOutcome;
import dev.trawl.parse.FollowSpec;
import dev.trawl.parse.Links;
import dev.trawl.web.Credentials;
import dev.trawl.web.HostKey;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The crawl of a job with {@code follow}: the URLs already enqueued ({@link SeenSet}), the pages
 * found and not fetched yet ({@link Frontier}, spilling to disk), and the sitemaps read. It is the
 * job's source: the job's own requests first, then what the crawl found, each with the next index.
 * With {@code follow.sitemaps}, the first request of each origin also reads the sitemaps its
 * robots.txt names and {@code /sitemap.xml}, and their pages join the crawl at depth 0. A sitemap
 * fetch obeys the job like a page: robots.txt (when the job obeys it) must allow its URL, it
 * waits here, by host, until the job's runner starts it through the {@link Politeness} gate, and
 * while in flight it holds one of the job's concurrency slots ({@link #sitemapsFetching()}). It
 * makes no result line.
 *
 * <p>It also says where the job's own credentials go ({@link #trusts}): the job's headers and
 * cookies belong to its own requests, so a found page or sitemap gets them only when its origin
 * (scheme, host, port) is the origin of one of the job's own requests.
 */
final class Crawl implements RequestSource {

  /** At most this many sitemaps are read for one job (indexes included). */
  static final int MAX_SITEMAPS = 1000;
  /** Sitemaps are looked for on at most this many origins of the job's own requests. */
  static final int MAX_SITEMAP_ORIGINS = 100;
  /**
   * The job's own requests' origins remembered for {@link #trusts}; past this many, pages of
   * further origins go without the job's credentials (closed, not open, when the bound is hit).
   */
  static final int MAX_SEED_ORIGINS = 1024;

  private final FollowSpec follow;
  private final JobRun run;
  private final Engine engine;
  private final RequestSource seeds;
  private final SeenSet seen = new SeenSet();
  private final Frontier frontier;
  private final Set<String> sitemapsRead = new HashSet<>();
  private final Set<String> sitemapOrigins = new HashSet<>();
  private final Set<String> seedOrigins = new HashSet<>();
  /**
   * The index of the first page the crawl found. The job's own requests have the indexes of its
   * input, below those of everything found (which are numbered after the input's total).
   */
  private long firstFoundIndex = Long.MAX_VALUE;
  private long pages;
  /**
   * Sitemaps under way (waiting for robots.txt, waiting to start, or fetching): the crawl is not
   * over while one may still add pages.
   */
  private int sitemapsInFlight;
  /** Sitemaps robots.txt allows, waiting for a slot and their host's turn, by host. */
  private final LinkedHashMap<String, ArrayDeque<String>> sitemapsWaiting = new LinkedHashMap<>();
  private int sitemapsQueued;
  private int sitemapsFetching;
  private Politeness politeness;
  private Runnable onReady = () -> { };

  /**
   * A crawl from its seeds; a resumed one ({@code resumption} not null) also from the pages its
   * journal says it had found: all of them are seen, those without a line yet are fetched.
   */
  Crawl(JobRun run, Engine engine, RequestSource seeds, Frontier frontier, JobRun.Resumption resumption) {
    this.run = run;
    this.engine = engine;
    this.follow = run.spec().follow();
    this.frontier = frontier;
    this.seeds = resumption == null ? seeds : new Remaining(seeds, resumption.done(), this::seenDoneSeed,
      task -> engine.vertx().runOnContext(v -> task.run()));
    if (resumption != null) {
      refound(resumption);
    }
  }

  private void refound(JobRun.Resumption resumption) {
    List<String> left = new ArrayList<>();
    for (String entry : resumption.pages()) {
      int first = entry.indexOf('\t');
      int second = entry.indexOf('\t', first + 1);
      long index = Long.parseLong(entry.substring(0, first));
      seen.add(entry.substring(second + 1));
      pages++;
      firstFoundIndex = Math.min(firstFoundIndex, index);
      if (index >= Integer.MAX_VALUE || !resumption.done().get((int) index)) {
        left.add(entry);
      }
    }
    frontier.addAll(left);
  }

  /** The job's politeness, which every sitemap fetch passes; set before the crawl is polled. */
  void politeness(Politeness jobPoliteness) {
    this.politeness = jobPoliteness;
  }

  @Override
  public RequestSpec poll() {
    dropSitemapsIfEnded();
    RequestSpec seed = seeds.poll();
    if (seed != null) {
      seenSeed(seed);
      return seed;
    }
    if (!seeds.exhausted()) {
      return null;
    }
    String entry = frontier.poll();
    return entry == null ? null : fromEntry(entry);
  }

  /**
   * One of the job's own requests that had its line before the restart: seen, and its origin's
   * sitemaps read again (their pages already journaled are seen and skipped), in case the stop
   * came while they were being read.
   */
  private void seenDoneSeed(RequestSpec seed) {
    seenSeed(seed);
    noticeOrigin(seed);
  }

  /** One of the job's own requests: counted, seen, its origin trusted. */
  private void seenSeed(RequestSpec seed) {
    pages++;
    rememberSeedOrigin(seed.url());
    String normalized = Links.normalize(seed.url());
    if (normalized != null) {
      seen.add(normalized);
    }
  }

  private void rememberSeedOrigin(String url) {
    String origin = Credentials.originOf(url);
    if (origin != null && seedOrigins.size() < MAX_SEED_ORIGINS) {
      seedOrigins.add(origin);
    }
  }

  /**
   * Whether the job's own credentials ({@code Authorization}, {@code Proxy-Authorization} and
   * {@code Cookie} of its {@code headers}, and its {@code cookies}) go with {@code request}: a
   * request of the job's own always, a found page only on the origin of one of the job's own.
   */
  boolean trusts(RequestSpec request) {
    return request.index() < firstFoundIndex || trusts(request.url());
  }

  /** Whether {@code url} is on the origin of one of the job's own requests. */
  boolean trusts(String url) {
    String origin = Credentials.originOf(url);
    return origin != null && seedOrigins.contains(origin);
  }

  @Override
  public boolean exhausted() {
    dropSitemapsIfEnded();
    return seeds.exhausted() && frontier.isEmpty() && sitemapsInFlight == 0;
  }

  @Override
  public void onReady(Runnable listener) {
    onReady = listener;
    seeds.onReady(listener);
    frontier.onReady(listener);
  }

  @Override
  public void onError(java.util.function.Consumer<Throwable> listener) {
    seeds.onError(listener);
    frontier.onError(() -> listener.accept(new IllegalStateException("the crawl's spill file failed")));
  }

  @Override
  public void close() {
    seeds.close();
    frontier.close();
  }

  /**
   * Enqueues the links a page at {@code depth} led to, each once for the whole job, while the
   * job is under {@code maxPages}; every one gets the job's next index. Returns the journal lines
   * of the pages enqueued (null if none), to be on disk before the page's own result is.
   */
  String found(int depth, List<String> links) {
    if (depth >= follow.maxDepth()) {
      return null;
    }
    return journalLines(enqueue(depth + 1, links));
  }

  /** Enqueues pages a sitemap lists, as seeds of the crawl (depth 0); the journal has them before any result. */
  private void fromSitemap(List<String> links) {
    String lines = journalLines(enqueue(0, links));
    if (lines != null) {
      engine.journal(run, lines);
    }
  }

  /** {@code p<TAB>index<TAB>depth<TAB>url} a page (see {@link JobStore}); null when none or the job is not durable. */
  private String journalLines(List<String> entries) {
    if (entries.isEmpty() || !engine.durable()) {
      return null;
    }
    StringBuilder lines = new StringBuilder();
    entries.forEach(entry -> lines.append("p\t").append(entry).append('\n'));
    return lines.toString();
  }

  private List<String> enqueue(int depth, List<String> links) {
    List<String> entries = new ArrayList<>();
    for (String url : links) {
      if (pages >= follow.maxPages()) {
        break;
      }
      if (seen.add(url)) {
        pages++;
        long index = run.addCrawledRequest();
        firstFoundIndex = Math.min(firstFoundIndex, index);
        entries.add(index + "\t" + depth + "\t" + url);
      }
    }
    frontier.addAll(entries);
    return entries;
  }

  private static RequestSpec fromEntry(String entry) {
    int first = entry.indexOf('\t');
    int second = entry.indexOf('\t', first + 1);
    return RequestSpec.crawled(Long.parseLong(entry.substring(0, first)),
      entry.substring(second + 1), Integer.parseInt(entry.substring(first + 1, second)));
  }

  /** Reads the sitemaps of the request's origin, the first time the crawl meets that origin. */
  void noticeOrigin(RequestSpec request) {
    String origin = HostKey.originOf(request.url());
    if (follow.sitemaps() && sitemapOrigins.size() < MAX_SITEMAP_ORIGINS && sitemapOrigins.add(origin)) {
      readSitemapsOf(origin);
    }
  }

  /** Seeds the crawl from the sitemaps robots.txt names and from /sitemap.xml of a new origin. */
  private void readSitemapsOf(String origin) {
    sitemapsInFlight++; // keeps the crawl open while robots.txt is read
    engine.robots().verdict(origin).onSuccess(verdict -> {
      sitemapsInFlight--;
      List<String> sitemaps = new ArrayList<>(verdict.sitemaps());
      sitemaps.add(origin + "/sitemap.xml");
      sitemaps.forEach(this::readSitemap);
      onReady.run();
    });
  }

  private void readSitemap(String url) {
    if (run.endIsDecided() || sitemapsRead.size() >= MAX_SITEMAPS || !sitemapsRead.add(url)) {
      return;
    }
    String host;
    try {
      host = HostKey.of(url);
    } catch (RuntimeException notAUrl) {
      return;
    }
    sitemapsInFlight++;
    politeness.robotsAllow(url).onComplete(allowed -> {
      if (allowed.succeeded() && allowed.result() && !run.endIsDecided()) {
        sitemapsWaiting.computeIfAbsent(host, k -> new ArrayDeque<>()).add(url);
        sitemapsQueued++;
      } else {
        sitemapsInFlight--; // disallowed: never fetched
      }
      onReady.run();
    });
  }

  /** Sitemap fetches in flight: each holds one of the job's concurrency slots. */
  int sitemapsFetching() {
    return sitemapsFetching;
  }

  boolean hasSitemapsWaiting() {
    return sitemapsQueued > 0;
  }

  /** Starts a waiting sitemap whose host the gate lets start now; false if there is none. */
  boolean startSitemap(long now) {
    if (sitemapsQueued == 0 || run.endIsDecided()) {
      return false;
    }
    for (Iterator<Map.Entry<String, ArrayDeque<String>>> it = sitemapsWaiting.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, ArrayDeque<String>> entry = it.next();
      if (politeness.mayStart(entry.getKey(), now)) {
        String url = entry.getValue().poll();
        if (entry.getValue().isEmpty()) {
          it.remove();
        }
        sitemapsQueued--;
        fetchSitemap(entry.getKey(), url, now);
        return true;
      }
    }
    return false;
  }

  /** When the earliest waiting sitemap's host, held back only by its gap, may start, or -1. */
  long nextSitemapStartNanos() {
    long earliest = -1;
    for (String host : sitemapsWaiting.keySet()) {
      long at = politeness.nextStartNanos(host);
      if (at >= 0) {
        earliest = earliest == -1 ? at : Math.min(earliest, at);
      }
    }
    return earliest;
  }

  private void dropSitemapsIfEnded() {
    if (sitemapsQueued > 0 && run.endIsDecided()) {
      sitemapsInFlight -= sitemapsQueued;
      sitemapsQueued = 0;
      sitemapsWaiting.clear();
    }
  }

  private void fetchSitemap(String host, String url, long now) {
    sitemapsFetching++;
    String permitFrom = politeness.started(host, now);
    Map<String, String> headers = trusts(url) ? run.spec().headers() : Credentials.without(run.spec().headers());
    engine.fetchSitemap(run, url, headers).onComplete(reply -> {
      sitemapsFetching--;
      sitemapsInFlight--;
      FetchOutcome read = reply.succeeded() ? reply.result() : null;
      politeness.finished(host, permitFrom, System.nanoTime(), read);
      if (read != null && read.ok() && !run.endIsDecided()) {
        fromSitemap(read.discovered());
        read.sitemaps().forEach(this::readSitemap);
      }
      onReady.run();
    });
  }
}
