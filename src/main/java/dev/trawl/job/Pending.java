package dev.trawl.job;

import dev.trawl.web.HostKey;

import java.time.Instant;

/**
 * A request between its first try and its result: how often it was tried, which try is current
 * (a late answer to an earlier one is recognised by its dispatch id), and whether robots.txt has
 * allowed it. Owned by its job's {@link JobRunner}, on the coordinator's event loop.
 */
final class Pending {

  private final RequestSpec request;
  /** {@code host:port}, the unit of per-host limits. */
  private final String host;
  private int attempts;
  private long dispatchId;
  private String startedAt;
  private long startNanos;
  private boolean robotsChecked;
  /** The node whose permit the try in flight holds for its host (see {@link HostPermits}). */
  private String permitFrom;

  Pending(RequestSpec request) {
    this.request = request;
    this.host = HostKey.of(request.url());
  }

  /** Begins try number {@link #attempts()} + 1 under a new dispatch id; the first try sets the start. */
  void beginTry(long newDispatchId) {
    attempts++;
    dispatchId = newDispatchId;
    if (attempts == 1) {
      startedAt = Instant.now().toString();
      startNanos = System.nanoTime();
    }
  }

  /** Whether an answer sent for {@code answeredId} is to the current try. */
  boolean isCurrent(long answeredId) {
    return dispatchId == answeredId;
  }

  void permitFrom(String node) {
    permitFrom = node;
  }

  String permitFrom() {
    return permitFrom;
  }

  void robotsAllowed() {
    robotsChecked = true;
  }

  boolean robotsChecked() {
    return robotsChecked;
  }

  RequestSpec request() {
    return request;
  }

  long index() {
    return request.index();
  }

  String host() {
    return host;
  }

  int attempts() {
    return attempts;
  }

  long dispatchId() {
    return dispatchId;
  }

  /** When the first try started (ISO-8601), or null before it. */
  String startedAt() {
    return startedAt;
  }

  /** Since the first try started; 0 before it. */
  long elapsedMs() {
    return startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1_000_000;
  }
}
