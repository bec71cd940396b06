package dev.trawl.api;

import dev.trawl.config.HttpSettings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * What the API checks of a request before it does anything for it, as pure functions of header
 * values: no Vert.x, no DNS, so every rule is a table in a unit test.
 */
final class RequestRules {

  private RequestRules() {
  }

  /**
   * Whether a {@code Host} header names this node: a loopback name ({@code localhost},
   * {@code 127.0.0.0/8}, {@code [::1]}) or {@code http.host} itself, with any port or none. A page
   * that rebinds its own DNS name to 127.0.0.1 still sends that name, so it is refused. A wildcard
   * {@code http.host} ({@code 0.0.0.0}, {@code ::}) names no host: browsers reach the local machine
   * through {@code 0.0.0.0}, which makes it no better a proof than a foreign name.
   */
  static boolean hostAllowed(String hostHeader, String ownHost) {
    String host = hostPart(hostHeader);
    if (host == null) {
      return false;
    }
    String own = HttpSettings.normalize(ownHost);
    boolean wildcard = own.equals("0.0.0.0") || own.matches("[0:]*");
    return HttpSettings.isLoopback(host) || (!wildcard && HttpSettings.normalize(host).equals(own));
  }

  /** The host of a {@code Host} header ({@code name}, {@code name:port}, {@code [v6]:port}); null when malformed. */
  private static String hostPart(String header) {
    if (header == null || header.isEmpty()) {
      return null;
    }
    int end = header.startsWith("[") ? header.indexOf(']') + 1 : header.indexOf(':');
    if (end == 0) {
      return null;
    }
    if (end < 0) {
      end = header.length();
    }
    String port = header.substring(end);
    boolean portOk = port.isEmpty() || port.matches(":[0-9]{1,5}");
    return portOk && end > 0 ? header.substring(0, end) : null;
  }

  /**
   * Whether an {@code Authorization} header carries {@code token} as a bearer credential. The
   * scheme is case-insensitive (RFC 9110 11.1); the token is compared in constant time.
   */
  static boolean bearerMatches(String authorization, String token) {
    if (authorization == null) {
      return false;
    }
    int space = authorization.indexOf(' ');
    if (space < 0 || !authorization.substring(0, space).equalsIgnoreCase("Bearer")) {
      return false;
    }
    byte[] given = authorization.substring(space + 1).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether a {@code Content-Type} is JSON ({@code application/json}, any parameters). A browser
   * form can post only {@code text/plain}, {@code multipart/form-data} and URL-encoded bodies
   * without asking the server first, so requiring JSON stops cross-site job submission.
   */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.strip().toLowerCase(Locale.ROOT).equals("application/json");
  }
}
