package dev.trawl.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The cookies responses set, kept and sent as RFC 6265 says: each with its Domain (or host-only),
 * Path, Secure, HttpOnly and expiry, and sent only to requests it matches. A Domain that is a
 * public suffix ({@link PublicSuffixes}) or that the setting host is not within is refused.
 * Browser-like caps: {@value #MAX_PER_DOMAIN} cookies per domain, {@value #MAX_BYTES} characters
 * each (name and value), {@value #MAX_COOKIES} in all; the oldest goes first. Stricter than RFC
 * 6265, which keeps cookies per host: a cookie is sent only to the port that set it, so one set by
 * {@code 127.0.0.1:8080} never reaches {@code 127.0.0.1:9090} (another origin).
 *
 * <p>Not thread-safe: one owner (a job's tries, or one try's redirects), on one event loop.
 */
public final class CookieJar {

  public static final int MAX_PER_DOMAIN = 50;
  public static final int MAX_BYTES = 4096;
  public static final int MAX_COOKIES = 3000;

  private static final Comparator<Cookie> SEND_ORDER = Comparator
    .comparingInt((Cookie c) -> -c.path().length()).thenComparingLong(Cookie::created);

  private final Predicate<String> publicSuffix;
  private final Map<String, List<Cookie>> byDomain = new HashMap<>();
  private int size;
  private long created;

  public CookieJar() {
    this(PublicSuffixes::isPublicSuffix);
  }

  CookieJar(Predicate<String> publicSuffix) {
    this.publicSuffix = publicSuffix;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public int size() {
    return size;
  }

  /**
   * Keeps the cookie {@code setCookie} sets, in place of one of the same name, domain and path;
   * an expired one only removes that one. Returns whether a cookie is kept.
   */
  public boolean receive(SetCookie setCookie, long nowMs) {
    Cookie cookie = setCookie.toCookie(nowMs, created + 1, publicSuffix);
    if (cookie == null) {
      return false;
    }
    created++;
    Cookie old = remove(cookie);
    if (old != null) {
      cookie = cookie.replacing(old);
    }
    if (cookie.expired(nowMs)) {
      return false;
    }
    List<Cookie> sameDomain = byDomain.get(cookie.domain());
    if (sameDomain != null && sameDomain.size() >= MAX_PER_DOMAIN) {
      dropExpired(sameDomain, nowMs);
    }
    if (sameDomain != null && sameDomain.size() >= MAX_PER_DOMAIN) {
      removeOldest(List.of(sameDomain));
    }
    if (size >= MAX_COOKIES) {
      makeRoom(nowMs);
    }
    byDomain.computeIfAbsent(cookie.domain(), d -> new ArrayList<>()).add(cookie);
    size++;
    return true;
  }

  /**
   * The cookies a request to {@code uri} gets, as {@code name → value} in RFC 6265 order (longer
   * paths first, then older first). Of two with one name, the first (the more specific) is sent.
   */
  public Map<String, String> cookiesFor(URI uri, long nowMs) {
    String host = size == 0 ? null : HostNames.hostOf(uri);
    if (host == null) {
      return Map.of();
    }
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    String path = Cookie.requestPath(uri);
    int port = HostNames.portOf(uri);
    List<Cookie> matched = new ArrayList<>();
    for (String domain = host; domain != null; domain = parentOf(domain)) {
      List<Cookie> cookies = byDomain.get(domain);
      if (cookies != null) {
        cookies.stream().filter(c -> c.matches(host, port, path, https, nowMs)).forEach(matched::add);
      }
    }
    matched.sort(SEND_ORDER);
    Map<String, String> header = new LinkedHashMap<>();
    matched.forEach(c -> header.putIfAbsent(c.name(), c.value()));
    return header;
  }

  private static String parentOf(String domain) {
    int dot = domain.indexOf('.');
    return dot < 0 ? null : domain.substring(dot + 1);
  }

  /** Removes the cookie in {@code cookie}'s slot; returns it, or null. */
  private Cookie remove(Cookie cookie) {
    List<Cookie> cookies = byDomain.get(cookie.domain());
    if (cookies == null) {
      return null;
    }
    for (Iterator<Cookie> it = cookies.iterator(); it.hasNext(); ) {
      Cookie kept = it.next();
      if (kept.sameSlot(cookie)) {
        it.remove();
        size--;
        return kept;
      }
    }
    return null;
  }

  /** At {@link #MAX_COOKIES}: expired cookies go, then, if none did, the oldest. */
  private void makeRoom(long nowMs) {
    byDomain.values().forEach(cookies -> dropExpired(cookies, nowMs));
    byDomain.values().removeIf(List::isEmpty);
    if (size >= MAX_COOKIES) {
      removeOldest(byDomain.values());
    }
  }

  private void dropExpired(List<Cookie> cookies, long nowMs) {
    int before = cookies.size();
    cookies.removeIf(c -> c.expired(nowMs));
    size -= before - cookies.size();
  }

  private void removeOldest(Iterable<List<Cookie>> lists) {
    List<Cookie> in = null;
    Cookie oldest = null;
    for (List<Cookie> cookies : lists) {
      for (Cookie cookie : cookies) {
        if (oldest == null || cookie.created() < oldest.created()) {
          oldest = cookie;
          in = cookies;
        }
      }
    }
    if (in != null) {
      in.remove(oldest);
      size--;
    }
  }
}
