package dev.trawl.web;

import java.net.URI;
import java.util.Locale;

/**
 * The two keys Trawl keeps per-host state by: {@code host:port} (politeness) and the origin
 * {@code scheme://host:port} (robots.txt, sitemaps, credentials). Pure string and URI work.
 */
public final class HostKey {

  private HostKey() {
  }

  /** {@code host:port} of an absolute URL, the unit politeness is kept per. */
  public static String of(String url) {
    return of(URI.create(url));
  }

  public static String of(URI uri) {
    return HostNames.hostOf(uri) + ":" + HostNames.portOf(uri);
  }

  /** {@code scheme://host:port} of an absolute URL: whose robots.txt and sitemaps apply to it. */
  public static String originOf(String url) {
    URI uri = URI.create(url);
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + of(uri);
  }
}
