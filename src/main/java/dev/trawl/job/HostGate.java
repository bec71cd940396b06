package dev.trawl.job;

import dev.trawl.web.HostNames;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.ToLongFunction;

/**
 * A job's per-host politeness: at most {@code perHost} tries in flight to one host, and at least
 * {@code delayMs} between two starts to it. A request that may not start yet is parked here,
 * holding no concurrency slot, while the job goes on with other hosts; at most {@link #capacity}
 * wait, so a job stuck on one slow host stops pulling its input instead of buffering it.
 * Confined to the coordinator's event loop; {@code T} is whatever the owner parks (a request
 * waiting for its try).
 */
final class HostGate<T> {

  /** The last start of a host nothing has started to yet: far enough back for any gap. */
  private static final long NEVER = Long.MIN_VALUE / 2;

  private static final class Host<T> {
    int inFlight;
    /** A larger gap than the job's, from robots.txt's Crawl-delay. */
    long minGapNanos;
    long lastStartNanos = NEVER;
    final ArrayDeque<T> parked = new ArrayDeque<>();
  }

  private final int perHost;
  private final long delayNanos;
  private final int capacity;
  private final Map<String, Host<T>> hosts = new HashMap<>();
  private int parked;
  private int finishesSinceSweep;

  HostGate(int perHost, long delayMs, int capacity) {
    this.perHost = perHost;
    this.delayNanos = delayMs * 1_000_000;
    this.capacity = capacity;
  }


  boolean full() {
    return parked >= capacity;
  }

  int parked() {
    return parked;
  }

  boolean mayStart(String host, long now) {
    Host<T> h = hosts.get(host);
    return h == null || (perHost == 0 || h.inFlight < perHost) && now - h.lastStartNanos >= gapOf(h);
  }

  private long gapOf(Host<T> h) {
    return Math.max(delayNanos, h.minGapNanos);
  }

  /** Raises the gap kept between starts to {@code host} (robots.txt's Crawl-delay). */
  void minGap(String host, long gapMs) {
    if (gapMs > 0) {
      Host<T> h = hosts.computeIfAbsent(host, k -> new Host<>());
      h.minGapNanos = Math.max(h.minGapNanos, gapMs * 1_000_000);
    }
  }

  void park(String host, T pending) {
    hosts.computeIfAbsent(host, k -> new Host<>()).parked.add(pending);
    parked++;
  }

  /** A parked request whose host allows a start now, or null. */
  T pollStartable(long now) {
    return pollStartable(now, (host, at) -> true);
  }

  /** A parked request whose host this gate and {@code alsoAllows} (the host's shared limits) let start now, or null. */
  T pollStartable(long now, BiPredicate<String, Long> alsoAllows) {
    if (parked == 0) {
      return null;
    }
    for (Map.Entry<String, Host<T>> entry : hosts.entrySet()) {
      Host<T> h = entry.getValue();
      if (!h.parked.isEmpty() && mayStart(entry.getKey(), now) && alsoAllows.test(entry.getKey(), now)) {
        parked--;
        return h.parked.poll();
      }
    }
    return null;
  }

  /** Every parked request, removed (the job is ending). */
  ArrayDeque<T> drain() {
    ArrayDeque<T> all = new ArrayDeque<>();
    hosts.values().forEach(h -> {
      all.addAll(h.parked);
      h.parked.clear();
    });
    parked = 0;
    return all;
  }

  void started(String host, long now) {
    Host<T> h = hosts.computeIfAbsent(host, k -> new Host<>());
    h.inFlight++;
    h.lastStartNanos = now;
  }

  void finished(String host, long now) {
    Host<T> h = hosts.get(host);
    if (h != null) {
      h.inFlight--;
    }
    forgetIdle(now);
  }

  /**
   * When the earliest host held back only by the gap may start (possibly a moment that has just
   * passed), or -1 if none is. A host nothing has started to yet is not held by a gap.
   */
  long nextStartNanos(long now) {
    return nextStartNanos(now, host -> -1);
  }

  /**
   * As {@link #nextStartNanos(long)}, with the hosts' shared limits: {@code sharedAt} gives when a
   * host's shared limits let it start by time (-1 when they do not hold it by time).
   */
  long nextStartNanos(long now, ToLongFunction<String> sharedAt) {
    long earliest = -1;
    for (Map.Entry<String, Host<T>> entry : hosts.entrySet()) {
      Host<T> h = entry.getValue();
      if (h.parked.isEmpty() || perHost != 0 && h.inFlight >= perHost) {
        continue; // nothing waits, or a finished try of this job wakes it
      }
      long own = h.lastStartNanos == NEVER ? -1 : h.lastStartNanos + gapOf(h);
      long at = Math.max(own, sharedAt.applyAsLong(entry.getKey()));
      if (at >= 0) {
        earliest = earliest == -1 ? at : Math.min(earliest, at);
      }
    }
    return earliest;
  }

  /** When {@code host}, held back only by its gap, may start, or -1 if it is not held by a gap. */
  long nextStartNanos(String host) {
    Host<T> h = hosts.get(host);
    boolean heldByGap = h != null && h.lastStartNanos != NEVER && (perHost == 0 || h.inFlight < perHost);
    return heldByGap ? h.lastStartNanos + gapOf(h) : -1;
  }

  /** Hosts with nothing in flight, nothing parked and no gap left to keep are dropped. */
  private void forgetIdle(long now) {
    if (++finishesSinceSweep < 1024) {
      return; // sweeping is O(hosts): amortise it
    }
    finishesSinceSweep = 0;
    for (Iterator<Host<T>> it = hosts.values().iterator(); it.hasNext(); ) {
      Host<T> h = it.next();
      if (h.inFlight == 0 && h.parked.isEmpty() && now - h.lastStartNanos >= gapOf(h) && h.minGapNanos == 0) {
        it.remove();
      }
    }
  }
}
