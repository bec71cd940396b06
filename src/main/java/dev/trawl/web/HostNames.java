package dev.trawl.web;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Hosts of URLs as a browser reads them. {@code java.net.URI} leaves the host null for spellings
 * such as {@code 127.1}, and nothing in the JDK reads {@code 2130706433} or {@code 0x7f000001} as
 * the address they are (the WHATWG URL standard does): both gaps would let a private address past
 * a check made on names. Pure: no DNS is ever asked here. Literals are parsed by hand and turned
 * into an address with {@code InetAddress.getByAddress(byte[])}: {@code InetAddress.getByName}
 * asks the system resolver, synchronously, for anything it cannot read as a literal ({@code zq:x}),
 * and these methods run on event loops.
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
      return ipv6(host);
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
    return byAddress(new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value});
  }

  /**
   * An IPv6 literal as RFC 4291 writes it: eight groups of 1 to 4 hex digits, one {@code ::} for a
   * run of zero groups, an IPv4 dotted quad as the last two. No zone ({@code %eth0}): a URL has none.
   */
  private static InetAddress ipv6(String host) {
    int gap = host.indexOf("::");
    if (host.indexOf('%') >= 0 || gap >= 0 && host.indexOf("::", gap + 1) >= 0) {
      throw invalid(host);
    }
    int[] head = groups(gap < 0 ? host : host.substring(0, gap), gap < 0, host);
    int[] tail = gap < 0 ? new int[0] : groups(host.substring(gap + 2), true, host);
    int count = head.length + tail.length;
    if (gap < 0 ? count != 8 : count > 7) {
      throw invalid(host);
    }
    byte[] bytes = new byte[16];
    for (int i = 0; i < head.length; i++) {
      bytes[2 * i] = (byte) (head[i] >> 8);
      bytes[2 * i + 1] = (byte) head[i];
    }
    for (int i = 0, at = 8 - tail.length; i < tail.length; i++, at++) {
      bytes[2 * at] = (byte) (tail[i] >> 8);
      bytes[2 * at + 1] = (byte) tail[i];
    }
    return byAddress(bytes);
  }

  /** The 16-bit groups of one side of a {@code ::}; a dotted quad may end the last side. */
  private static int[] groups(String side, boolean last, String host) {
    if (side.isEmpty()) {
      return new int[0];
    }
    String[] parts = side.split(":", -1);
    int[] groups = new int[parts.length + 1];
    int n = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (last && i == parts.length - 1 && part.indexOf('.') >= 0) {
        int quad = dottedQuad(part, host);
        groups[n++] = quad >>> 16;
        groups[n++] = quad & 0xffff;
      } else if (part.isEmpty() || part.length() > 4 || !isHex(part, 0)) {
        throw invalid(host);
      } else {
        groups[n++] = Integer.parseInt(part, 16);
      }
    }
    return Arrays.copyOf(groups, n);
  }

  /** Four decimal parts of 0 to 255, as the tail of an IPv6 literal is written. */
  private static int dottedQuad(String quad, String host) {
    String[] parts = quad.split("\\.", -1);
    if (parts.length != 4) {
      throw invalid(host);
    }
    int value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !isDigits(part, 0) || Integer.parseInt(part) > 255) {
        throw invalid(host);
      }
      value = value << 8 | Integer.parseInt(part);
    }
    return value;
  }

  private static IllegalArgumentException invalid(String host) {
    return new IllegalArgumentException(host + " is not a valid address");
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
    if (isDigits(part, 0)) {
      return true;
    }
    return part.length() >= 2 && part.charAt(0) == '0' && (part.charAt(1) | 0x20) == 'x' && isHex(part, 2);
  }

  private static boolean isDigits(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      char lower = (char) (c | 0x20);
      if ((c < '0' || c > '9') && (lower < 'a' || lower > 'f')) {
        return false;
      }
    }
    return true;
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

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes); // never a lookup: the bytes are the address
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of " + bytes.length + " bytes", e);
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
