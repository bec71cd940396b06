package dev.trawl.job;

import java.util.Locale;

/** How the results of a job decide its end ({@code mode}). */
public enum Mode {
  /** Every request settles; failures are results. */
  JOIN,
  /** The first failure ends the job as failed. */
  ALL,
  /** The first success ends the job; it fails when every request fails. */
  ANY,
  /** The first request to settle ends the job. */
  FIRST;

  public static Mode of(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
