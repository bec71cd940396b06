package dev.trawl.fetch;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Reads a {@code Retry-After} header: seconds or an HTTP date. Pure but for the clock it is given. */
final class RetryAfter {

  /** No header, or one that is neither seconds nor an HTTP date. */
  static final long NONE = -1;

  private RetryAfter() {
  }

  /** The wait {@code value} asks for, in ms (never negative), or {@link #NONE}. */
  static long ms(String value, Clock clock) {
    if (value == null) {
      return NONE;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()) * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, when.toInstant().toEpochMilli() - clock.millis());
      } catch (RuntimeException notDate) {
        return NONE;
      }
    }
  }
}
