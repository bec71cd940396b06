package dev.trawl.job;

import dev.trawl.parse.FollowSpec;
import dev.trawl.parse.Links;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The crawl of a job with {@code follow}: the URLs already enqueued ({@link SeenSet}), the pages
 * found and not fetched yet ({@link Frontier}, spilling to disk), and the sitemaps read. It is the
 * job's source: the job's own requests first, then what the crawl found, each with the next index.
 */
final class Crawl implements RequestSource {

  /** At most this many sitemaps are read for one job (indexes included). */
  static final int MAX_SITEMAPS = 1000;
  /** Sitemaps are looked for on at most this many origins of the job's own requests. */
  static final int MAX_SITEMAP_ORIGINS = 100;

  final FollowSpec follow;
  private final Job job;
  private final RequestSource seeds;
  private final SeenSet seen = new SeenSet();
  private final Frontier frontier;
  private final Set<String> sitemapsRead = new HashSet<>();
  private final Set<String> sitemapOrigins = new HashSet<>();
  private long pages;
  /** Sitemap fetches under way: the crawl is not over while one may still add pages. */
  int sitemapsInFlight;

  Crawl(Job job, RequestSource seeds, Frontier frontier) {
    this.job = job;
    this.follow = job.spec.follow();
    this.seeds = seeds;
    this.frontier = frontier;
  }

  @Override
  public RequestSpec poll() {
    RequestSpec seed = seeds.poll();
    if (seed != null) {
      pages++;
      String normalized = Links.normalize(seed.url());
      if (normalized != null) {
        seen.add(normalized);
      }
      return seed;
    }
    if (!seeds.exhausted()) {
      return null;
    }
    String entry = frontier.poll();
    return entry == null ? null : fromEntry(entry);
  }

  @Override
  public boolean exhausted() {
    return seeds.exhausted() && frontier.isEmpty() && sitemapsInFlight == 0;
  }

  @Override
  public void onReady(Runnable listener) {
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
   * job is under {@code maxPages}; every one gets the job's next index.
   */
  void found(int depth, List<String> links) {
    if (depth >= follow.maxDepth()) {
      return;
    }
    enqueue(depth + 1, links);
  }

  /** Enqueues pages a sitemap lists, as seeds of the crawl (depth 0). */
  void fromSitemap(List<String> links) {
    enqueue(0, links);
  }

  private void enqueue(int depth, List<String> links) {
    List<String> entries = new ArrayList<>();
    for (String url : links) {
      if (pages >= follow.maxPages()) {
        break;
      }
      if (seen.add(url)) {
        pages++;
        entries.add((job.total++) + "\t" + depth + "\t" + url);
      }
    }
    frontier.addAll(entries);
  }

  private static RequestSpec fromEntry(String entry) {
    int first = entry.indexOf('\t');
    int second = entry.indexOf('\t', first + 1);
    return RequestSpec.crawled(Long.parseLong(entry.substring(0, first)),
      entry.substring(second + 1), Integer.parseInt(entry.substring(first + 1, second)));
  }

  /** True the first time an origin of the job's requests is seen, while sitemaps are wanted. */
  boolean firstSightOf(String origin) {
    return follow.sitemaps() && sitemapOrigins.size() < MAX_SITEMAP_ORIGINS && sitemapOrigins.add(origin);
  }

  /** True when this sitemap has not been read for the job yet and the cap allows one more. */
  boolean shouldRead(String sitemapUrl) {
    return sitemapsRead.size() < MAX_SITEMAPS && sitemapsRead.add(sitemapUrl);
  }
}
