package dev.trawl.parse;

import dev.trawl.web.HostNames;
import com.google.re2j.Pattern;
import crawlercommons.filters.basic.BasicURLNormalizer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Normalises and filters the links of a page for {@code follow}: crawler-commons'
 * {@link BasicURLNormalizer} (scheme and host lower-case, default port and fragment dropped,
 * dot-segments removed, percent-encoding canonical), then {@code sameHost}, {@code include} and
 * {@code exclude}. The filters are RE2/J patterns, which match in time linear in the URL: a
 * job's regular expression runs on every link of hostile pages, on event loops for small ones, and
 * java.util.regex backtracks ({@code (.*x){12}y} took seconds on a 33-character URL). A link longer
 * than {@link #MAX_URL_CHARS} is not followed. Thread-safe: one per crawl filter ({@link #of}),
 * shared by the node's fetchers and coordinator.
 */
public final class Links {

  private static final BasicURLNormalizer NORMALIZER = new BasicURLNormalizer();
  /**
   * What the cache below may hold, in bytes: each entry costs its key's and value's lengths plus
   * {@link #ENTRY_BYTES} of map node and string headers. 16 MiB is about 100,000 links of 80
   * characters, or 1,000 of 8 KiB: hostile pages of long links no longer fill the heap.
   */
  private static final long CACHE_BYTES = 16L << 20;
  private static final int ENTRY_BYTES = 100;
  private static final java.util.concurrent.atomic.AtomicLong CACHED_BYTES = new java.util.concurrent.atomic.AtomicLong();
  /** The longest link followed (8 KiB), before and after normalisation; browsers and servers balk at more. */
  public static final int MAX_URL_CHARS = 8 * 1024;
  /** Normalised forms of recent URLs ("" for none), shared by every fetcher thread. */
  private static final java.util.Map<String, String> NORMALIZED = new java.util.concurrent.ConcurrentHashMap<>();

  private final boolean sameHost;
  private final List<Pattern> include;
  private final List<Pattern> exclude;
  /**
   * What {@code include} and {@code exclude} said of recent URLs: pages of a site link the same
   * pages over and over, and matching is most of what following costs. The keys are the strings
   * {@link #normalize} already holds, so an entry costs a map node. Used from any thread.
   */
  private final java.util.Map<String, Boolean> filtered = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_VERDICTS = 32_768;

  /** Jobs are few, so the compiled filters of their crawls are too; the bound is a backstop. */
  private static final int MAX_CACHED_FILTERS = 64;
  /** The filter of each crawl's {@code follow}, made once and shared by the node's threads. */
  private static final java.util.Map<FollowSpec, Links> BY_FOLLOW = new java.util.concurrent.ConcurrentHashMap<>();

  /** The filter of a crawl's links (normalised, same host, include and exclude), made once per {@code follow}. */
  public static Links of(FollowSpec follow) {
    if (BY_FOLLOW.size() > MAX_CACHED_FILTERS) {
      BY_FOLLOW.clear();
    }
    return BY_FOLLOW.computeIfAbsent(follow, Links::new);
  }

  public Links(FollowSpec follow) {
    this.sameHost = follow.sameHost();
    this.include = follow.include().stream().map(Pattern::compile).toList();
    this.exclude = follow.exclude().stream().map(Pattern::compile).toList();
  }

  /** {@code url} in canonical form, or null when it is not an http(s) URL worth fetching. */
  public static String normalize(String url) {
    if (url == null) {
      return null;
    }
    String cached = NORMALIZED.get(url);
    if (cached != null) {
      return cached.isEmpty() ? null : cached;
    }
    String normalized = normalizeUncached(url);
    cache(url, normalized == null ? "" : normalized);
    return normalized;
  }

  /** Remembers a normalised form, the whole cache dropped first when it would pass {@link #CACHE_BYTES}. */
  private static void cache(String url, String normalized) {
    long cost = url.length() + normalized.length() + ENTRY_BYTES;
    if (CACHED_BYTES.addAndGet(cost) > CACHE_BYTES) {
      NORMALIZED.clear(); // crude, but bounded by bytes; a crawl's links repeat within a few pages
      CACHED_BYTES.set(cost);
    }
    NORMALIZED.put(url, normalized);
  }

  /** The bytes the normalisation cache holds now, as it counts them (for tests). */
  static long cachedBytes() {
    return CACHED_BYTES.get();
  }

  private static String normalizeUncached(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      return null;
    }
    try {
      return NORMALIZER.filter(url);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * {@code href} made absolute against {@code base}: the forms pages mostly use (absolute,
   * scheme-relative, host-relative) by string work, anything else as jsoup's absUrl does; null
   * when it cannot be resolved. The result still goes through {@link #normalize}.
   */
  public static String resolve(String base, String href) {
    String ref = href.strip();
    if (startsWithIgnoreCase(ref, "http://") || startsWithIgnoreCase(ref, "https://")) {
      return ref;
    }
    int scheme = base.indexOf("://");
    if (scheme < 0) {
      return null;
    }
    if (ref.startsWith("//")) {
      return base.substring(0, scheme + 1) + ref;
    }
    if (ref.startsWith("/")) {
      int pathStart = base.indexOf('/', scheme + 3);
      return (pathStart < 0 ? base : base.substring(0, pathStart)) + ref;
    }
    String resolved = org.jsoup.internal.StringUtil.resolve(base, ref); // what jsoup's absUrl does
    return resolved.isEmpty() ? null : resolved;
  }

  private static boolean startsWithIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /** The links worth following from a page at {@code pageUrl}: normalised, filtered, each once. */
  public List<String> follow(String pageUrl, List<String> links) {
    String pageHost = HostNames.hostOfNormalized(pageUrl);
    Set<String> kept = new LinkedHashSet<>();
    for (String link : links) {
      String url = link == null || link.length() > MAX_URL_CHARS ? null : normalize(link);
      if (url != null && url.length() <= MAX_URL_CHARS && wanted(url, pageHost)) {
        kept.add(url);
      }
    }
    return new ArrayList<>(kept);
  }

  private boolean wanted(String url, String pageHost) {
    if (sameHost && (pageHost == null || !pageHost.equals(HostNames.hostOfNormalized(url)))) {
      return false;
    }
    if (include.isEmpty() && exclude.isEmpty()) {
      return true;
    }
    Boolean verdict = filtered.get(url);
    if (verdict == null) {
      verdict = passesFilters(url);
      if (filtered.size() >= MAX_VERDICTS) {
        filtered.clear(); // crude, but bounded; a crawl's pages link the same few hundred pages
      }
      filtered.put(url, verdict);
    }
    return verdict;
  }

  private boolean passesFilters(String url) {
    if (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(url).find())) {
      return false;
    }
    return exclude.stream().noneMatch(p -> p.matcher(url).find());
  }

}
