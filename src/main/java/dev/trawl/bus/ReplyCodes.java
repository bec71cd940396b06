package dev.trawl.bus;

/** The failure codes of event-bus replies; each means what the HTTP status of the same number does. */
public final class ReplyCodes {

  /** A job with problems: the failure message is the 400 body, {@code {"error", "problems"}}. */
  public static final int INVALID = 400;
  public static final int NOT_FOUND = 404;
  /** The job queue is full: the failure message is the 429 body, {@code {"error", "retryAfterSeconds"}}. */
  public static final int QUEUE_FULL = 429;
  /** A pause or resume that does not apply to the job as it is (ended, not paused, paused already). */
  public static final int CONFLICT = 409;
  /** A node that is stopping, or a coordinator that did not answer in time. */
  public static final int UNAVAILABLE = 503;
  /** A try refused by a stopping node's fetchers: it never started there. */
  public static final int FETCH_DRAINING = 503;
  /** A try dropped half-way because its fetcher was undeployed: it is fetched again elsewhere. */
  public static final int FETCH_ABANDONED = 504;

  private ReplyCodes() {
  }
}
