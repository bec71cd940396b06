package dev.trawl.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A {@code Set-Cookie} header as a response carried it, with the URL of that response. Fetchers
 * hand these back as received; the job's {@link CookieJar} alone decides, by RFC 6265, whether and
 * where the cookie is kept.
 */
public record SetCookie(String url, String header) {

  /** Whether the header may name a Domain, so that storing it needs the public-suffix list. */
  public boolean mayNameDomain() {
    return header.toLowerCase(Locale.ROOT).contains("domain");
  }

  /**
   * The cookie this header sets (RFC 6265 §5.2 and §5.3), or null when it is refused: no
   * {@code name=value}, a control character, over {@link CookieJar#MAX_BYTES}, a Domain that is a
   * public suffix or that the setting host is not within, or Secure set over plain http.
   */
  Cookie toCookie(long nowMs, long created, Predicate<String> publicSuffix) {
    URI uri = uriOf(url);
    String host = uri == null ? null : HostNames.hostOf(uri);
    int semicolon = header.indexOf(';');
    String pair = semicolon < 0 ? header : header.substring(0, semicolon);
    int equals = pair.indexOf('=');
    if (host == null || equals < 0) {
      return null;
    }
    String name = pair.substring(0, equals).trim();
    String value = pair.substring(equals + 1).trim();
    if (name.isEmpty() || name.length() + value.length() > CookieJar.MAX_BYTES || hasControl(name) || hasControl(value)) {
      return null;
    }
    Attributes a = new Attributes(semicolon < 0 ? "" : header.substring(semicolon + 1), nowMs);
    String domain = domainOf(a.domain, host, publicSuffix);
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    if (domain == null || a.secure && !https) {
      return null;
    }
    return new Cookie(name, value, domain.isEmpty() ? host : domain, domain.isEmpty(), HostNames.portOf(uri),
      a.path == null ? Cookie.defaultPath(uri) : a.path, a.secure, a.httpOnly, a.expiresAtMs(), created);
  }

  /**
   * §5.3 steps 5 and 6: "" for a host-only cookie, the Domain when the host is within it, null
   * when refused. A Domain that is a public suffix is refused unless it is the host itself.
   */
  private static String domainOf(String attribute, String host, Predicate<String> publicSuffix) {
    if (attribute == null) {
      return "";
    }
    if (publicSuffix.test(attribute)) {
      return attribute.equals(host) ? "" : null;
    }
    return Cookie.domainMatch(host, attribute) ? attribute : null;
  }

  private static URI uriOf(String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static boolean hasControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7F) {
        return true;
      }
    }
    return false;
  }

  /** The attributes after the {@code name=value} pair; the last of each name counts (§5.3 step 3). */
  private static final class Attributes {
    String domain;
    String path;
    boolean secure;
    boolean httpOnly;
    long maxAgeExpiry = CookieDate.INVALID;
    long expires = CookieDate.INVALID;

    Attributes(String text, long nowMs) {
      for (String attribute : text.split(";")) {
        int equals = attribute.indexOf('=');
        String name = (equals < 0 ? attribute : attribute.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
        read(name, equals < 0 ? "" : attribute.substring(equals + 1).trim(), nowMs);
      }
    }

    private void read(String name, String value, long nowMs) {
      switch (name) {
        case "expires" -> expires = orElse(CookieDate.parse(value), expires);
        case "max-age" -> maxAgeExpiry = maxAge(value, nowMs, maxAgeExpiry);
        case "domain" -> domain = domainAttribute(value, domain);
        case "path" -> path = value.startsWith("/") ? value : null;
        case "secure" -> secure = true;
        case "httponly" -> httpOnly = true;
        default -> { } // SameSite, Priority, …: nothing a crawler acts on
      }
    }

    /** §5.2.2: digits with an optional minus; zero or less expires it at once. */
    private static long maxAge(String value, long nowMs, long previous) {
      // Long.MIN_VALUE is CookieDate.INVALID; one more is "expired whatever the clock says".
      if (!value.matches("-?\\d+")) {
        return previous;
      }
      if (value.startsWith("-") || value.matches("0+")) {
        return Long.MIN_VALUE + 1;
      }
      long seconds = value.length() > 12 ? Long.MAX_VALUE / 1000 : Long.parseLong(value);
      return seconds >= (Long.MAX_VALUE - nowMs) / 1000 ? Cookie.SESSION - 1 : nowMs + seconds * 1000;
    }

    private static long orElse(long date, long previous) {
      return date == CookieDate.INVALID ? previous : date;
    }

    /** §5.2.3: lower case, a leading dot dropped; an empty one is ignored. */
    private static String domainAttribute(String value, String previous) {
      String domain = value.startsWith(".") ? value.substring(1) : value;
      return domain.isEmpty() ? previous : domain.toLowerCase(Locale.ROOT);
    }

    /** Max-Age wins over Expires (§5.3 step 3); neither makes a session cookie. */
    long expiresAtMs() {
      if (maxAgeExpiry != CookieDate.INVALID) {
        return maxAgeExpiry;
      }
      return expires != CookieDate.INVALID ? expires : Cookie.SESSION;
    }
  }
}
