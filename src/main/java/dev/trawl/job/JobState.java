package dev.trawl.job;

import java.util.Locale;

/** The life of a job, as reported in its summary. */
public enum JobState {
  QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, EXPIRED;

  public boolean terminal() {
    return this != QUEUED && this != RUNNING;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
