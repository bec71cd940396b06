package dev.trawl.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expires dates as browsers read them (RFC 6265 §5.1.1). */
class CookieDateTest {

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
    "Wed, 09 Jun 2021 10:18:14 GMT   | 2021-06-09T10:18:14Z",
    "Wed, 09-Jun-2021 10:18:14 GMT   | 2021-06-09T10:18:14Z",
    "Wednesday, 09-Jun-21 10:18:14 GMT | 2021-06-09T10:18:14Z",
    "Sun Nov  6 08:49:37 1994        | 1994-11-06T08:49:37Z",
    "9 june 2021 1:2:3               | 2021-06-09T01:02:03Z",
    "Thu, 01 Jan 70 00:00:00 GMT     | 1970-01-01T00:00:00Z",
    "Fri, 01 Jan 69 00:00:00 GMT     | 2069-01-01T00:00:00Z",
    "Wed, 31 Feb 2021 10:18:14 GMT   | -",
    "Wed, 09 Jun 2021 24:00:00 GMT   | -",
    "Wed, 09 Jun 1600 10:18:14 GMT   | -",
    "Wed, 09 Jun 2021                | -",
    "tomorrow                        | -",
  })
  void expiresIsReadLikeABrowserReadsIt(String text, String expected) {
    long expectedMs = expected == null ? CookieDate.INVALID : Instant.parse(expected).toEpochMilli();
    assertEquals(expectedMs, CookieDate.parse(text));
  }
}
