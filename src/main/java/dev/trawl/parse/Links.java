package dev.trawl.parse;

import crawlercommons.filters.basic.BasicURLNormalizer;

import java.net.URI;
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

  /** The links worth following from a page at {@code pageUrl}: normalised, filtered, each once. */
  public List<String> follow(String pageUrl, List<String> links) {
    String pageHost = hostOf(pageUrl);
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
    if (sameHost && (pageHost == null || !pageHost.equals(hostOf(url)))) {
      return false;
    }
    if (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(url).find())) {
      return false;
    }
    return exclude.stream().noneMatch(p -> p.matcher(url).find());
  }

  private static String hostOf(String url) {
    try {
      String host = URI.create(url).getHost();
      return host == null ? null : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
