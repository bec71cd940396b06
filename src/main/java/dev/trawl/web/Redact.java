package dev.trawl.web;

/** What may go into a log line: a URL without its user-info ({@code user:password@}). */
public final class Redact {

  private Redact() {
  }

  /** {@code http://user:pass@host/p} → {@code http://host/p}; anything else unchanged. Never throws. */
  public static String url(String url) {
    if (url == null) {
      return null;
    }
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? (url.startsWith("//") ? 2 : -1) : scheme + 3;
    if (start < 0) {
      return url;
    }
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    int at = url.lastIndexOf('@', end - 1);
    return at < start ? url : url.substring(0, start) + url.substring(at + 1);
  }
}
