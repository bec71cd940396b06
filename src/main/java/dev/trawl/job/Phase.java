package dev.trawl.job;

/**
 * Where a job is in its life on its coordinator. Only forward moves happen:
 * <pre>
 *   QUEUED ──start──► RUNNING ──end decided──► ENDING ──every request has its line──► CLOSING ──files closed──► DONE
 *      └──────────────── cancel or drain: started at once, then ended ──────────────────┘
 * </pre>
 * The state a summary shows ({@link JobState}) follows from it: {@code queued}, then
 * {@code running} up to and including CLOSING, then the end state once DONE.
 */
enum Phase {
  /** Accepted, waiting for a slot ({@code jobs.maxConcurrent}). */
  QUEUED,
  /** Handing out requests; every result feeds the mode. */
  RUNNING,
  /** The end is decided (mode, cancel, deadline, drain): no new try starts; what is left ends as cancelled. */
  ENDING,
  /** Every request has its result; the sink is closing the files. */
  CLOSING,
  /** The files are closed and the summary is final. */
  DONE
}
