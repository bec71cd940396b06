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

  /**
   * Whether {@code key} is written as {@link #of} writes one: a host (a name, an IPv4 address or a
   * bracketed IPv6 address) and a port from 1 to 65535.
   */
  public static boolean isHostPort(String key) {
    int colon = key.lastIndexOf(':');
    if (colon <= 0 || colon == key.length() - 1 || key.length() > 300) {
      return false;
    }
    String port = key.substring(colon + 1);
    if (!port.chars().allMatch(Character::isDigit) || port.length() > 5 || Integer.parseInt(port) < 1
      || Integer.parseInt(port) > 65_535) {
      return false;
    }
    String host = key.substring(0, colon);
    if (host.startsWith("[")) {
      return host.endsWith("]") && host.length() > 2 && host.substring(1, host.length() - 1).chars()
        .allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    }
    return host.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_'));
  }

  /** {@code scheme://host:port} of an absolute URL: whose robots.txt and sitemaps apply to it. */
  public static String originOf(String url) {
    URI uri = URI.create(url);
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + of(uri);
  }
}
