package dev.trawl.web;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Hosts of URLs as a browser reads them. {@code java.net.URI} leaves the host null for spellings
 * such as {@code 127.1}, and nothing in the JDK reads {@code 2130706433} or {@code 0x7f000001} as
 * the address they are (the WHATWG URL standard does): both gaps would let a private address past
 * a check made on names. Pure: no DNS is ever asked here.
 */
public final class HostNames {

  private HostNames() {
  }

  /** The host of {@code uri}, brackets of an IPv6 literal removed; null when it has none. */
  public static String hostOf(URI uri) {
    String host = uri.getHost();
    if (host == null && uri.getRawAuthority() != null) {
      String authority = uri.getRawAuthority();
      authority = authority.substring(authority.lastIndexOf('@') + 1);
      int colon = authority.startsWith("[") ? authority.indexOf(':', authority.indexOf(']')) : authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
    }
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host == null || host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
  }

  /** The port of {@code uri}, or the scheme's default. */
  public static int portOf(URI uri) {
    int port = uri.getPort();
    if (port < 0 && uri.getHost() == null && uri.getRawAuthority() != null) {
      String authority = uri.getRawAuthority();
      int colon = authority.lastIndexOf(':');
      if (colon > authority.lastIndexOf(']')) {
        try {
          port = Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
    }
    if (port > 0) {
      return port;
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /**
   * The address a host names without DNS: an IPv6 literal, or IPv4 in any spelling the WHATWG
   * URL parser accepts (dotted, fewer parts, octal {@code 0177}, hex {@code 0x7f}, one number).
   * Null for a name that needs DNS.
   *
   * @throws IllegalArgumentException for a host that ends in a number but is no valid address
   */
  public static InetAddress literalAddress(String host) {
    if (host.indexOf(':') >= 0) {
      return byLiteral(host);
    }
    if (!endsInNumber(host)) {
      return null; // the common case, a name: decided without splitting or regular expressions
    }
    String[] parts = host.endsWith(".") ? host.substring(0, host.length() - 1).split("\\.", -1) : host.split("\\.", -1);
    if (!isNumber(parts[parts.length - 1])) {
      return null;
    }
    if (parts.length > 4) {
      throw new IllegalArgumentException(host + " is not a valid IPv4 address");
    }
    long[] numbers = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      numbers[i] = parseNumber(parts[i], host);
      if (i < parts.length - 1 && numbers[i] > 255) {
        throw new IllegalArgumentException(host + " is not a valid IPv4 address");
      }
    }
    long last = numbers[parts.length - 1];
    if (last >= 1L << (8 * (5 - parts.length))) {
      throw new IllegalArgumentException(host + " is not a valid IPv4 address");
    }
    long value = last;
    for (int i = 0; i < parts.length - 1; i++) {
      value += numbers[i] << (8 * (3 - i));
    }
    return byLiteral((value >> 24 & 0xff) + "." + (value >> 16 & 0xff) + "." + (value >> 8 & 0xff) + "." + (value & 0xff));
  }

  /** Whether the last label is all digits or {@code 0x} hex, as the WHATWG "ends in a number" test. */
  private static boolean endsInNumber(String host) {
    int end = host.endsWith(".") ? host.length() - 1 : host.length();
    int start = host.lastIndexOf('.', end - 1) + 1;
    if (end - start >= 2 && host.charAt(start) == '0' && (host.charAt(start + 1) | 0x20) == 'x') {
      return true;
    }
    for (int i = start; i < end; i++) {
      if (host.charAt(i) < '0' || host.charAt(i) > '9') {
        return false;
      }
    }
    return end > start;
  }

  private static boolean isNumber(String part) {
    if (part.isEmpty()) {
      return false;
    }
    if (part.matches("[0-9]+")) {
      return true;
    }
    return part.matches("0[xX][0-9a-fA-F]*");
  }

  private static long parseNumber(String part, String host) {
    try {
      if (part.startsWith("0x") || part.startsWith("0X")) {
        return part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
      }
      if (part.length() > 1 && part.startsWith("0")) {
        return Long.parseLong(part.substring(1), 8);
      }
      return Long.parseLong(part);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(host + " is not a valid IPv4 address");
    }
  }

  private static InetAddress byLiteral(String literal) {
    try {
      // Only ever called with a numeric literal, so no lookup happens.
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal + " is not a valid address");
    }
  }

  /** The host of a normalised URL (lower-case already), by string work. */
  public static String hostOfNormalized(String url) {
    int start = url.indexOf("://");
    if (start < 0) {
      return null;
    }
    start += 3;
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    String authority = url.substring(start, end);
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    int colon = authority.startsWith("[") ? authority.indexOf(':', authority.indexOf(']')) : authority.lastIndexOf(':');
    return (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
  }
}
