package dev.trawl.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Credentials stay with their origin. {@code Authorization}, {@code Proxy-Authorization} and
 * {@code Cookie} are sent only to the origin (scheme, host and port) they belong to:
 * <ul>
 *   <li>a request's own headers belong to that request's URL;</li>
 *   <li>the job's {@code headers} and {@code cookies} belong to the job's own requests, each to its
 *       own origin; in a crawl, also to a found page or sitemap whose origin is the origin of one
 *       of the job's own requests, never to another;</li>
 *   <li>after a redirect to another origin none of them is sent; back on the request's origin,
 *       they are again.</li>
 * </ul>
 * Cookies that responses set are not credentials of the job: the {@link CookieJar} sends them
 * where RFC 6265 says they match (and only to the port that set them). On a redirect hop to
 * another origin, only cookies set during that same try can be sent: the fetcher does not have
 * the job's jar.
 */
public final class Credentials {

  /** The headers that carry credentials, in lower case. */
  private static final Set<String> HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

  private Credentials() {
  }

  public static boolean isCredential(String headerName) {
    return HEADERS.contains(headerName.toLowerCase(Locale.ROOT));
  }

  /** {@code headers} less the credentials. */
  public static Map<String, String> without(Map<String, String> headers) {
    Map<String, String> kept = new LinkedHashMap<>();
    headers.forEach((name, value) -> {
      if (!isCredential(name)) {
        kept.put(name, value);
      }
    });
    return kept;
  }

  /** {@code scheme://host:port} of {@code uri}, with the scheme's default port spelled out. */
  public static String originOf(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme + "://" + HostKey.of(uri);
  }

  /** {@link #originOf} of a URL; null when it is not one. */
  public static String originOf(String url) {
    try {
      return originOf(new URI(url));
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  public static boolean sameOrigin(URI a, URI b) {
    return originOf(a).equals(originOf(b));
  }
}
