package dev.trawl.web;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Reading {@code Set-Cookie} and writing {@code Cookie} headers: name and value only. */
public final class CookieHeader {

  private CookieHeader() {
  }

  /** The {@code name=value} pair of a {@code Set-Cookie} header, or null when it has none. */
  public static Map.Entry<String, String> pairOf(String setCookie) {
    int semicolon = setCookie.indexOf(';');
    String pair = semicolon < 0 ? setCookie : setCookie.substring(0, semicolon);
    int equals = pair.indexOf('=');
    if (equals <= 0) {
      return null;
    }
    return new AbstractMap.SimpleImmutableEntry<>(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
  }

  /** Reads a {@code Cookie} header; null gives an empty map. */
  public static Map<String, String> parse(String header) {
    Map<String, String> cookies = new LinkedHashMap<>();
    if (header == null) {
      return cookies;
    }
    for (String part : header.split(";")) {
      Map.Entry<String, String> pair = pairOf(part);
      if (pair != null) {
        cookies.put(pair.getKey(), pair.getValue());
      }
    }
    return cookies;
  }

  /**
   * One {@code Cookie} header value: the cookies of {@code base}, then those of {@code overrides}
   * (a cookie of the same name in both takes the override's value).
   */
  public static String merge(Map<String, String> base, Map<String, String> overrides) {
    Map<String, String> jar = new LinkedHashMap<>(base);
    jar.putAll(overrides);
    return format(jar);
  }

  public static String format(Map<String, String> cookies) {
    StringJoiner joiner = new StringJoiner("; ");
    cookies.forEach((name, value) -> joiner.add(name + "=" + value));
    return joiner.toString();
  }
}
