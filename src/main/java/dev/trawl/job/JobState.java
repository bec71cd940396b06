package dev.trawl.job;

import java.util.Locale;

/** The life of a job, as reported in its summary. */
public enum JobState {
  QUEUED, RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED, EXPIRED;

  public boolean terminal() {
    return this != QUEUED && this != RUNNING && this != PAUSED;
  }

  /** The state a wire name names ({@code "cancelled"} → CANCELLED). */
  public static JobState fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
