package dev.trawl.error;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Logs the failures no error kind explains ({@code internal}: a bug, not the web): with a stack
 * trace, but at most one a minute per kind of cause (its exception class), so a bug that every try
 * of a large job meets writes one trace a minute, not one per try. Expected failures (any
 * {@link TrawlFailure}, a connect, dns, tls or timeout failure) are outcomes: their results say
 * what happened, and nothing is logged for them.
 */
public final class UnexpectedFailures {

  static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** Kinds of cause remembered; past it the memory starts over (a flood of classes is a bug too). */
  private static final int MAX_CAUSES = 256;
  private static final UnexpectedFailures SHARED = new UnexpectedFailures();

  /** Per kind of cause: when its trace was last logged, and how many were held back since. */
  private final Map<String, long[]> byCause = new HashMap<>();

  UnexpectedFailures() {
  }

  /** Whether {@code cause} is one of those this class logs. */
  public static boolean isUnexpected(Throwable cause) {
    return !(cause instanceof TrawlFailure) && ErrorKinds.kindOf(cause) == ErrorKind.INTERNAL;
  }

  /**
   * Logs {@code what} (already free of secrets: see {@code dev.trawl.web.Redact}) with the trace of
   * {@code cause}, when it is unexpected and no cause of its class was traced in the last minute.
   */
  public static void log(System.Logger log, String what, Throwable cause) {
    if (!isUnexpected(cause)) {
      return;
    }
    long heldBack = SHARED.due(cause.getClass().getName(), System.nanoTime());
    if (heldBack >= 0) {
      log.log(System.Logger.Level.WARNING, "unexpected failure " + what
        + (heldBack > 0 ? " (" + heldBack + " more of this kind since the last trace)" : ""), cause);
    }
  }

  /** The number held back since the last trace of {@code cause} when one is due now, else -1. */
  synchronized long due(String cause, long nowNanos) {
    if (byCause.size() >= MAX_CAUSES && !byCause.containsKey(cause)) {
      byCause.clear();
    }
    long[] seen = byCause.get(cause);
    if (seen == null) {
      byCause.put(cause, new long[] {nowNanos, 0});
      return 0;
    }
    if (nowNanos - seen[0] < QUIET_NANOS) {
      seen[1]++;
      return -1;
    }
    long heldBack = seen[1];
    seen[0] = nowNanos;
    seen[1] = 0;
    return heldBack;
  }
}
