package dev.trawl.fetch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryAfterTest {

  private static final Clock NOW = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

  @ParameterizedTest
  @CsvSource(nullValues = "NULL", value = {
    "120, 120000",
    "0, 0",
    "' 7 ', 7000",
    "-5, 0",
    "'Wed, 21 Oct 2015 07:29:30 GMT', 90000",
    "'Wed, 21 Oct 2015 07:00:00 GMT', 0",
    "soon, -1",
    "'', -1",
    "1.5, -1",
    "NULL, -1"})
  void secondsOrAnHttpDateBecomeMillisecondsAndAnythingElseIsNone(String header, long expectedMs) {
    assertEquals(expectedMs, RetryAfter.ms(header, NOW));
  }
}
