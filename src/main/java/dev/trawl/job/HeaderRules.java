package dev.trawl.job;

import dev.trawl.config.Problems;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a job's {@code headers}, a request's {@code headers} and the job's {@code cookies} must be
 * for the HTTP client to send them as given: names that are RFC 9110 tokens, values without control
 * characters and within ISO-8859-1 (the client writes a header one byte a character and turns the
 * rest into {@code ?}), no framing or routing header (the client owns those), and at most
 * {@link #MAX_HEADERS} headers and {@link #MAX_BYTES} of names and values per request. No I/O; the
 * problems name the header by path and never echo a value.
 */
final class HeaderRules {

  /** The most headers one request may carry, the job's and its own together. */
  static final int MAX_HEADERS = 100;
  /** The most characters of names and values one request's headers may add up to. */
  static final int MAX_BYTES = 16 * 1024;

  private static final Set<String> CLIENT_OWNED = Set.of("host", "content-length", "transfer-encoding", "connection",
    "upgrade", "te", "trailer", "keep-alive", "proxy-connection");
  private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

  private HeaderRules() {
  }

  /** Checks each name and value of one {@code headers} object, found at {@code path}. */
  static void checkEach(Map<String, String> headers, String path, Problems problems) {
    headers.forEach((name, value) -> {
      String where = problems.key(path, name);
      if (!isToken(name)) {
        problems.add(where, "the name is not an HTTP token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~)");
      } else if (CLIENT_OWNED.contains(name.toLowerCase(Locale.ROOT))) {
        problems.add(where, "is a framing or routing header, which the HTTP client sets itself");
      }
      String bad = unsendable(value, true);
      if (bad != null) {
        problems.add(where, "the value " + bad);
      }
    });
  }

  /**
   * Checks what one request would send: the job's headers with the request's own on top (a name
   * matches whatever its case), at most {@link #MAX_HEADERS} and {@link #MAX_BYTES}.
   */
  static void checkSize(Map<String, String> jobHeaders, Map<String, String> own, String path, Problems problems) {
    Map<String, String> sent = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    sent.putAll(jobHeaders);
    sent.putAll(own);
    if (sent.size() > MAX_HEADERS) {
      problems.add(path, sent.size() + " headers, over the " + MAX_HEADERS + " a request may send");
    }
    long bytes = sent.entrySet().stream().mapToLong(e -> e.getKey().length() + (long) e.getValue().length()).sum();
    if (bytes > MAX_BYTES) {
      problems.add(path, bytes + " characters of names and values, over the " + MAX_BYTES + " a request may send");
    }
  }

  /** Checks the job's {@code cookies}: token names; values without control characters or {@code ;}. */
  static void checkCookies(Map<String, String> cookies, String path, Problems problems) {
    cookies.forEach((name, value) -> {
      String where = problems.key(path, name);
      if (!isToken(name)) {
        problems.add(where, "the name is not an HTTP token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~)");
      }
      String bad = value.indexOf(';') >= 0 ? "has a ;, which would end the cookie" : unsendable(value, false);
      if (bad != null) {
        problems.add(where, "the value " + bad);
      }
    });
  }

  static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && TCHAR_SYMBOLS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Why {@code value} cannot be sent as given, or null when it can. Says where, never what. */
  private static String unsendable(String value, boolean tabAllowed) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && !(tabAllowed && c == '\t')) {
        return "has a control character (CR, LF, NUL, …) at position " + i;
      }
      if (c > 0xFF) {
        return "has a character outside ISO-8859-1 at position " + i + ", which HTTP/1.1 cannot carry as given";
      }
    }
    return null;
  }
}
