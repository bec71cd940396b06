package dev.trawl.web;

import crawlercommons.domains.EffectiveTldFinder;

/**
 * The public-suffix list (crawler-commons' copy of publicsuffix.org, private domains included, as
 * browsers use it): a cookie may not be set for {@code com}, {@code co.uk} or {@code github.io}.
 *
 * <p>Reading the list takes hundreds of milliseconds on a cold JVM, so it is read once, by
 * {@link #load()} on a worker thread, and only when a {@code Set-Cookie} first names a Domain.
 * Until then {@link #isPublicSuffix} answers yes for every name (the cookie is refused): it never
 * blocks the thread that asks.
 */
public final class PublicSuffixes {

  private static volatile boolean loaded;

  private PublicSuffixes() {
  }

  public static boolean loaded() {
    return loaded;
  }

  /** Reads the list; blocking, so on a worker thread. Returns null, for {@code executeBlocking}. */
  public static synchronized Void load() {
    if (!loaded) {
      EffectiveTldFinder.getInstance();
      loaded = true;
    }
    return null;
  }

  /**
   * Whether {@code domain} (lower case, no leading dot) is a public suffix. A single label always
   * is (the list's implicit {@code *} rule: {@code localhost}, {@code test}); a name under a
   * suffix the list does not know ({@code example.test}) is not.
   */
  public static boolean isPublicSuffix(String domain) {
    if (domain.indexOf('.') < 0 || !loaded) {
      return true;
    }
    try {
      return EffectiveTldFinder.getEffectiveTLD(domain, false) != null
        && EffectiveTldFinder.getAssignedDomain(domain, true, false) == null;
    } catch (RuntimeException e) {
      return true; // a name the list cannot read gets no cookie
    }
  }
}
