package dev.trawl.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job's cookie jar against RFC 6265: what is kept, and what is sent where. */
class CookieJarTest {

  private static final long NOW = Instant.parse("2026-11-30T00:00:00Z").toEpochMilli();

  @BeforeAll
  static void readThePublicSuffixList() {
    PublicSuffixes.load();
  }

  @ParameterizedTest(name = "{0} sets \"{1}\" → {2} gets \"{3}\"")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
    "http://a.example.com/      | sid=1                                      | http://a.example.com/x      | sid=1",
    "http://example.com/        | sid=1                                      | http://www.example.com/     | -",
    "http://www.example.com/    | sid=1; Domain=example.com                  | http://api.example.com/     | sid=1",
    "http://www.example.com/    | sid=1; Domain=.EXAMPLE.com                 | http://example.com/         | sid=1",
    "http://www.example.com/    | sid=1; Domain=other.com                    | http://other.com/           | -",
    "http://www.example.com/    | sid=1; Domain=ample.com                    | http://ample.com/           | -",
    "http://www.example.com/    | sid=1; Domain=example.com; Domain=other.com | http://www.example.com/    | -",
    "http://shop.example.com/   | sid=1; Domain=com                          | http://other.com/           | -",
    "http://shop.example.com/   | sid=1; Domain=com                          | http://shop.example.com/    | -",
    "http://shop.example.co.uk/ | sid=1; Domain=co.uk                        | http://bank.co.uk/          | -",
    "http://me.github.io/       | sid=1; Domain=github.io                    | http://you.github.io/       | -",
    "http://shop.example.co.uk/ | sid=1; Domain=example.co.uk                | http://www.example.co.uk/   | sid=1",
    "http://a.localhost/        | sid=1; Domain=localhost                    | http://b.localhost/         | -",
    "http://localhost:8080/     | sid=1; Domain=localhost                    | http://localhost:9090/      | -",
    "http://localhost:8080/     | sid=1; Domain=localhost                    | http://localhost:8080/x     | sid=1",
    "http://localhost/          | sid=1; Domain=localhost                    | http://a.localhost/         | -",
    "http://127.0.0.1:8080/     | sid=1                                      | http://127.0.0.1:9090/      | -",
    "http://127.0.0.1/          | sid=1                                      | http://localhost/           | -",
    "http://127.0.0.1/          | sid=1; Domain=0.0.1                        | http://127.0.0.1/           | -",
    "http://example.com/        | sid=1; Path=/docs                          | http://example.com/docs/a   | sid=1",
    "http://example.com/        | sid=1; Path=/docs                          | http://example.com/docs     | sid=1",
    "http://example.com/        | sid=1; Path=/docs                          | http://example.com/docsx    | -",
    "http://example.com/        | sid=1; Path=/docs                          | http://example.com/         | -",
    "http://example.com/a/b/c   | sid=1                                      | http://example.com/a/b/d    | sid=1",
    "http://example.com/a/b/c   | sid=1                                      | http://example.com/a/x      | -",
    "http://example.com/a/b/c   | sid=1; Path=relative                       | http://example.com/a/x      | -",
    "https://example.com/       | sid=1; Secure                              | https://example.com/        | sid=1",
    "https://example.com/       | sid=1; Secure                              | http://example.com/         | -",
    "http://example.com/        | sid=1; Secure                              | https://example.com/        | -",
    "http://example.com/        | sid=1; HttpOnly                            | http://example.com/         | sid=1",
    "http://example.com/        | sid=1; Max-Age=0                           | http://example.com/         | -",
    "http://example.com/        | sid=1; Max-Age=-1                          | http://example.com/         | -",
    "http://example.com/        | sid=1; Max-Age=3600                        | http://example.com/         | sid=1",
    "http://example.com/        | sid=1; Max-Age=soon                        | http://example.com/         | sid=1",
    "http://example.com/        | sid=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT | http://example.com/       | -",
    "http://example.com/        | sid=1; Expires=Wed, 01-Jan-2031 00:00:00 GMT | http://example.com/       | sid=1",
    "http://example.com/        | sid=1; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:00 GMT | http://example.com/ | sid=1",
    "http://example.com/        | sid=1; Expires=never                       | http://example.com/         | sid=1",
    "http://example.com/        | no-equals-sign                             | http://example.com/         | -",
    "http://example.com/        | =1                                         | http://example.com/         | -",
  })
  void aCookieIsSentOnlyWhereItMatches(String setBy, String setCookie, String request, String sent) {
    CookieJar jar = new CookieJar();
    jar.receive(new SetCookie(setBy, setCookie), NOW);
    assertEquals(sent == null ? "" : sent, headerFor(jar, request));
  }

  @Test
  void controlCharactersAreRefused() {
    CookieJar jar = new CookieJar();
    assertFalse(jar.receive(new SetCookie("http://example.com/", "sid=a\u0001b"), NOW));
    assertFalse(jar.receive(new SetCookie("http://example.com/", "s\u007fid=1"), NOW));
    assertTrue(jar.isEmpty());
  }

  @Test
  void nameAndValueAreCappedAtFourKiB() {
    CookieJar jar = new CookieJar();
    assertTrue(jar.receive(new SetCookie("http://example.com/", "a=" + "x".repeat(CookieJar.MAX_BYTES - 1)), NOW));
    assertFalse(jar.receive(new SetCookie("http://example.com/", "b=" + "x".repeat(CookieJar.MAX_BYTES)), NOW));
    assertEquals(1, jar.size());
  }

  @Test
  void aCookieOfTheSameNameDomainAndPathReplacesTheOldOne() {
    CookieJar jar = new CookieJar();
    jar.receive(new SetCookie("http://example.com/", "sid=1"), NOW);
    jar.receive(new SetCookie("http://example.com/", "theme=dark"), NOW);
    jar.receive(new SetCookie("http://example.com/", "sid=2"), NOW);
    assertEquals("sid=2; theme=dark", headerFor(jar, "http://example.com/"), "the replacement keeps its place");
    assertEquals(2, jar.size());
  }

  @Test
  void maxAgeZeroDeletesTheCookie() {
    CookieJar jar = new CookieJar();
    jar.receive(new SetCookie("http://example.com/", "sid=1"), NOW);
    assertFalse(jar.receive(new SetCookie("http://example.com/", "sid=; Max-Age=0"), NOW));
    assertEquals("", headerFor(jar, "http://example.com/"));
    assertTrue(jar.isEmpty());
  }

  @Test
  void longerPathsAreSentFirst() {
    CookieJar jar = new CookieJar();
    jar.receive(new SetCookie("http://example.com/", "wide=1; Path=/"), NOW);
    jar.receive(new SetCookie("http://example.com/", "narrow=2; Path=/docs"), NOW);
    assertEquals("narrow=2; wide=1", headerFor(jar, "http://example.com/docs/a"));
  }

  @Test
  void aCookieExpiresWhenItsTimeComes() {
    CookieJar jar = new CookieJar();
    jar.receive(new SetCookie("http://example.com/", "sid=1; Max-Age=10"), NOW);
    assertEquals("sid=1", format(jar.cookiesFor(URI.create("http://example.com/"), NOW + 9_999)));
    assertEquals("", format(jar.cookiesFor(URI.create("http://example.com/"), NOW + 10_000)));
  }

  @Test
  void fiftyCookiesPerDomainTheOldestGoesFirst() {
    CookieJar jar = new CookieJar();
    for (int i = 0; i <= CookieJar.MAX_PER_DOMAIN; i++) {
      jar.receive(new SetCookie("http://example.com/", "c" + i + "=" + i), NOW);
    }
    String sent = headerFor(jar, "http://example.com/");
    assertEquals(CookieJar.MAX_PER_DOMAIN, jar.size());
    assertFalse(sent.contains("c0=0"), sent);
    assertTrue(sent.startsWith("c1=1; ") && sent.endsWith("c50=50"), sent);
  }

  @Test
  void threeThousandCookiesPerJobTheOldestGoesFirst() {
    CookieJar jar = new CookieJar();
    for (int host = 0; host < 61; host++) {
      for (int i = 0; i < CookieJar.MAX_PER_DOMAIN; i++) {
        jar.receive(new SetCookie("http://h" + host + ".example.com/", "c" + i + "=" + i), NOW);
      }
    }
    assertEquals(CookieJar.MAX_COOKIES, jar.size());
    assertEquals("", headerFor(jar, "http://h0.example.com/"), "the first host's 50 were the oldest");
    assertTrue(headerFor(jar, "http://h60.example.com/").endsWith("c49=49"));
  }

  private static String headerFor(CookieJar jar, String url) {
    return format(jar.cookiesFor(URI.create(url), NOW));
  }

  private static String format(java.util.Map<String, String> cookies) {
    return CookieHeader.format(cookies);
  }
}
