package dev.trawl.job;

import dev.trawl.error.ErrorKind;
import dev.trawl.fetch.FetchOutcome;
import dev.trawl.web.HostKey;
import io.vertx.core.Future;

import java.util.ArrayDeque;

/**
 * A job's politeness: robots.txt's verdict on each request (when the job obeys it) and the
 * job's {@link HostGate}, which holds back a request whose host is at {@code limits.perHost} or
 * within its gap ({@code limits.perHostDelayMs}, raised by robots.txt's Crawl-delay).
 */
final class Politeness {

  /** What may happen to a request now. */
  sealed interface Decision permits Start, Park, Blocked {
  }

  /** Its host allows a start now. */
  record Start() implements Decision {
  }

  /** It waits for its host's turn in the gate. */
  record Park() implements Decision {
  }

  /**
   * robots.txt disallows it ({@code blocked}), or could not be had: {@code blocked} after 5xx, or
   * the transport failure's kind ({@code connect}, {@code dns}, {@code tls}, {@code timeout}).
   */
  record Blocked(ErrorKind kind, String why) implements Decision {
  }

  private static final Start START = new Start();
  private static final Park PARK = new Park();

  private final HostGate<Pending> gate;
  /** The hosts' limits, shared by every job (and, through each host's owner, every node). */
  private final HostPermits shared;
  private final Robots robots;
  private final boolean obeysRobots;
  /** Requests waiting for their origin's robots.txt. */
  private int robotsWaiting;

  Politeness(JobSpec spec, Robots robots, HostPermits shared) {
    this.robots = robots;
    this.shared = shared;
    this.obeysRobots = spec.obeysRobots();
    this.gate = new HostGate<>(spec.limits().perHost(), spec.limits().perHostDelayMs(),
      Math.max(256, 4 * spec.limits().concurrency()));
  }

  /**
   * The decision for a request not started yet. Known at once unless its origin's robots.txt
   * must be read first; a request robots.txt allows that way is then always parked, so that it
   * starts from the pump, within the credits.
   */
  Future<Decision> admit(Pending pending, long now) {
    if (!obeysRobots || pending.robotsChecked()) {
      return Future.succeededFuture(mayStart(pending.host(), now) ? START : PARK);
    }
    robotsWaiting++;
    String url = pending.request().url();
    String origin = HostKey.originOf(url);
    return robots.verdict(origin).map(verdict -> {
      robotsWaiting--;
      if (verdict instanceof Robots.Unavailable unavailable) {
        return new Blocked(unavailable.kind(), unavailable.why());
      }
      if (!verdict.allows(url)) {
        return new Blocked(ErrorKind.BLOCKED, "disallowed by robots.txt of " + origin);
      }
      pending.robotsAllowed();
      gate.minGap(pending.host(), verdict.crawlDelayMs());
      shared.crawlDelay(pending.host(), verdict.crawlDelayMs());
      return PARK;
    });
  }

  /**
   * Whether robots.txt lets the job fetch {@code url}, which is no request of the job (a sitemap):
   * at once when the job ignores robots.txt, else once its origin's robots.txt is read; a
   * robots.txt that cannot be had allows nothing. Its Crawl-delay raises the host's gap as for a page.
   */
  Future<Boolean> robotsAllow(String url) {
    if (!obeysRobots) {
      return Future.succeededFuture(true);
    }
    return robots.verdict(HostKey.originOf(url)).map(verdict -> {
      if (verdict instanceof Robots.Unavailable || !verdict.allows(url)) {
        return false;
      }
      gate.minGap(HostKey.of(url), verdict.crawlDelayMs());
      shared.crawlDelay(HostKey.of(url), verdict.crawlDelayMs());
      return true;
    });
  }

  /** Whether the job's gate and the host's shared limits both let a fetch to {@code host} start now. */
  boolean mayStart(String host, long now) {
    return gate.mayStart(host, now) && shared.mayStart(host, now, obeysRobots);
  }

  /** When {@code host}, held back only by time (gaps, a Retry-After), may start, or -1 if it is not held by time. */
  long nextStartNanos(String host) {
    return Math.max(gate.nextStartNanos(host), shared.nextStartNanos(host, obeysRobots));
  }

  /** A sitemap fetch starts; returns the node whose permit it holds, for {@link #finished(String, String, long, FetchOutcome)}. */
  String started(String host, long now) {
    gate.started(host, now);
    return shared.started(host, now);
  }

  /** A sitemap fetch ended (its outcome, or null when it had none). */
  void finished(String host, String permitFrom, long now, FetchOutcome outcome) {
    gate.finished(host, now);
    finishedShared(host, permitFrom, now, outcome);
  }

  private void finishedShared(String host, String permitFrom, long now, FetchOutcome outcome) {
    if (outcome == null) {
      shared.released(host, permitFrom);
    } else {
      shared.finished(host, permitFrom, now, outcome.status(), outcome.ok() ? null : outcome.errorKind(),
        outcome.elapsedMs(), outcome.retryAfterMs());
    }
  }

  void park(Pending pending) {
    gate.park(pending.host(), pending);
  }

  /** A parked request whose host allows a start now (the job's gate and the shared limits), or null. */
  Pending pollStartable(long now) {
    return gate.pollStartable(now, (host, at) -> shared.mayStart(host, at, obeysRobots));
  }

  /** As many requests wait in the gate as may: the job stops pulling its source. */
  boolean full() {
    return gate.full();
  }

  boolean hasParked() {
    return gate.parked() > 0;
  }

  /** Nothing parked and nothing waiting for robots.txt. */
  boolean idle() {
    return gate.parked() == 0 && robotsWaiting == 0;
  }

  void started(Pending pending, long now) {
    gate.started(pending.host(), now);
    pending.permitFrom(shared.started(pending.host(), now));
  }

  /** A try of the request ended with {@code outcome}: its slots are given back, the host learns how it went. */
  void finished(Pending pending, long now, FetchOutcome outcome) {
    gate.finished(pending.host(), now);
    finishedShared(pending.host(), pending.permitFrom(), now, outcome);
  }

  /** Tries in flight dropped without an answer (the job ended or stops): their shared slots are given back. */
  void abandoned(Iterable<Pending> inFlight) {
    inFlight.forEach(pending -> shared.released(pending.host(), pending.permitFrom()));
  }

  /** When the earliest parked host held back only by time may start, or -1 if none is. */
  long nextStartNanos(long now) {
    return gate.nextStartNanos(now, host -> shared.nextStartNanos(host, obeysRobots));
  }

  /** Every parked request, removed (the job is ending). */
  ArrayDeque<Pending> drainParked() {
    return gate.drain();
  }
}
