package dev.trawl.web;

import java.net.URI;

/**
 * A cookie as a {@link CookieJar} keeps it (RFC 6265 §5.3).
 *
 * @param domain      the host that set it ({@code hostOnly}), or its Domain attribute
 * @param hostOnly    sent to exactly {@code domain}, not to its subdomains (no Domain attribute)
 * @param port        the port of the origin that set it: Trawl sends a cookie only to that port
 *                    (stricter than RFC 6265, which ignores ports), so it stays with its origin
 * @param expiresAtMs when it expires, or {@link #SESSION} for the life of the job
 * @param created     the jar's creation counter: older cookies have smaller ones
 */
record Cookie(String name, String value, String domain, boolean hostOnly, int port, String path, boolean secure,
              boolean httpOnly, long expiresAtMs, long created) {

  /** The expiry of a cookie without Max-Age or Expires: it lives as long as the job. */
  static final long SESSION = Long.MAX_VALUE;

  boolean expired(long nowMs) {
    return expiresAtMs <= nowMs;
  }

  /** The same name, domain and path: a new one replaces the old (§5.3 step 11). */
  boolean sameSlot(Cookie other) {
    return name.equals(other.name) && domain.equals(other.domain) && port == other.port && path.equals(other.path);
  }

  /** This cookie replacing {@code old}, whose creation it keeps. */
  Cookie replacing(Cookie old) {
    return new Cookie(name, value, domain, hostOnly, port, path, secure, httpOnly, expiresAtMs, old.created);
  }

  /** Whether it is sent on a request to {@code host} (canonical), {@code port} and {@code path} (§5.4). */
  boolean matches(String host, int requestPort, String requestPath, boolean https, long nowMs) {
    return (hostOnly ? host.equals(domain) : domainMatch(host, domain)) && port == requestPort
      && pathMatch(requestPath, path)
      && (!secure || https) && !expired(nowMs);
  }

  /** §5.1.3: {@code host} is {@code domain} or, when a name (not an address), a subdomain of it. */
  static boolean domainMatch(String host, String domain) {
    if (host.equals(domain)) {
      return true;
    }
    return host.endsWith(domain) && host.length() > domain.length()
      && host.charAt(host.length() - domain.length() - 1) == '.' && !isAddress(host);
  }

  /** §5.1.4: {@code cookiePath} is the request's path or a directory above it. */
  static boolean pathMatch(String requestPath, String cookiePath) {
    if (requestPath.equals(cookiePath)) {
      return true;
    }
    return requestPath.startsWith(cookiePath)
      && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/');
  }

  /** The path a request is matched with: the URI's, or {@code /} when it has none. */
  static String requestPath(URI uri) {
    String path = uri.getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  /** §5.1.4: the directory of the request's path, for a cookie without a Path attribute. */
  static String defaultPath(URI uri) {
    String path = uri.getRawPath();
    int lastSlash = path == null || !path.startsWith("/") ? -1 : path.lastIndexOf('/');
    return lastSlash <= 0 ? "/" : path.substring(0, lastSlash);
  }

  static boolean isAddress(String host) {
    try {
      return HostNames.literalAddress(host) != null;
    } catch (IllegalArgumentException e) {
      return true; // ends in a number but is no address: never a name to match subdomains of
    }
  }
}
