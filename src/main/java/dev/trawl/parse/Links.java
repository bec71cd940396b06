package dev.trawl.parse;

import dev.trawl.web.HostNames;
import crawlercommons.filters.basic.BasicURLNormalizer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Normalises and filters the links of a page for {@code follow}: crawler-commons'
 * {@link BasicURLNormalizer} (scheme and host lower-case, default port and fragment dropped,
 * dot-segments removed, percent-encoding canonical), then {@code sameHost}, {@code include} and
 * {@code exclude}. Pure and thread-safe once built; one per fetch verticle.
 */
public final class Links {

  private static final BasicURLNormalizer NORMALIZER = new BasicURLNormalizer();
  private static final int CACHE_SIZE = 100_000;
  /** Normalised forms of recent URLs ("" for none), shared by every fetcher thread. */
  private static final java.util.Map<String, String> NORMALIZED = new java.util.concurrent.ConcurrentHashMap<>();

  private final boolean sameHost;
  private final List<Pattern> include;
  private final List<Pattern> exclude;

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
    if (NORMALIZED.size() >= CACHE_SIZE) {
      NORMALIZED.clear(); // crude, but bounded; a crawl's links repeat within a few pages
    }
    NORMALIZED.put(url, normalized == null ? "" : normalized);
    return normalized;
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
      String url = normalize(link);
      if (url != null && wanted(url, pageHost)) {
        kept.add(url);
      }
    }
    return new ArrayList<>(kept);
  }

  private boolean wanted(String url, String pageHost) {
    if (sameHost && (pageHost == null || !pageHost.equals(HostNames.hostOfNormalized(url)))) {
      return false;
    }
    if (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(url).find())) {
      return false;
    }
    return exclude.stream().noneMatch(p -> p.matcher(url).find());
  }

}
