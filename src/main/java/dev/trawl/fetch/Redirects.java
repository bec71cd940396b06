package dev.trawl.fetch;

import dev.trawl.web.HostNames;

import java.net.URI;
import java.util.Locale;

/** Pure helpers for following redirects by hand. */
final class Redirects {

  private Redirects() {
  }

  /** {@code location} resolved against {@code base}; null when it is not an http(s) URL. */
  static URI resolve(URI base, String location) {
    try {
      URI next = base.resolve(location.trim());
      String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || HostNames.hostOf(next) == null) {
        return null;
      }
      return next;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** 303 always, and 301/302 after a POST, turn into a GET without a body (as browsers do). */
  static boolean becomesGet(int status, String method) {
    return status == 303 || ((status == 301 || status == 302) && method.equals("POST"));
  }
}
