package dev.trawl.web;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The date of an {@code Expires} attribute, read as RFC 6265 §5.1.1 says: tokens in any order,
 * the first that looks like a time, a day, a month and a year each taken, two-digit years mapped
 * to 1970–2069. Lenient as browsers are ({@code Wed, 09-Jun-2021 10:18:14 GMT} and friends).
 */
final class CookieDate {

  /** What {@link #parse} answers for a date it cannot read: the attribute is ignored. */
  static final long INVALID = Long.MIN_VALUE;

  private static final Pattern DELIMITERS = Pattern.compile("[\\x09\\x20-\\x2F\\x3B-\\x40\\x5B-\\x60\\x7B-\\x7E]+");
  private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\D.*)?");
  private static final Pattern DAY = Pattern.compile("(\\d{1,2})(?:\\D.*)?");
  private static final Pattern YEAR = Pattern.compile("(\\d{2,4})(?:\\D.*)?");
  private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
    "oct", "nov", "dec");

  private CookieDate() {
  }

  /** Milliseconds since the epoch (UTC), or {@link #INVALID}. */
  static long parse(String text) {
    int[] hms = null;
    int day = -1;
    int month = -1;
    int year = -1;
    for (String token : DELIMITERS.split(text)) {
      Matcher m;
      int named;
      if (hms == null && (m = TIME.matcher(token)).matches()) {
        hms = new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
      } else if (day < 0 && (m = DAY.matcher(token)).matches()) {
        day = Integer.parseInt(m.group(1));
      } else if (month < 0 && (named = monthOf(token)) >= 0) {
        month = named;
      } else if (year < 0 && (m = YEAR.matcher(token)).matches()) {
        year = Integer.parseInt(m.group(1));
      }
    }
    return epochMs(hms, day, month, year);
  }

  /** 0 for January … 11, or -1. */
  private static int monthOf(String token) {
    return token.length() < 3 ? -1 : MONTHS.indexOf(token.substring(0, 3).toLowerCase(Locale.ROOT));
  }

  private static long epochMs(int[] hms, int day, int month, int year) {
    if (hms == null || day < 0 || month < 0 || year < 0) {
      return INVALID;
    }
    int fullYear = year < 70 ? year + 2000 : year < 100 ? year + 1900 : year;
    if (fullYear < 1601 || day < 1 || day > 31 || hms[0] > 23 || hms[1] > 59 || hms[2] > 59) {
      return INVALID;
    }
    try {
      return LocalDateTime.of(fullYear, month + 1, day, hms[0], hms[1], hms[2]).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeException e) {
      return INVALID; // 31 February
    }
  }
}
