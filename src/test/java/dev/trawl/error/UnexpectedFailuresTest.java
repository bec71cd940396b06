package dev.trawl.error;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stack traces in the log: only for bugs, and at most one a minute per kind of cause. */
class UnexpectedFailuresTest {

  @Test
  void expectedFailuresAreNotLoggedAtAll() {
    assertFalse(UnexpectedFailures.isUnexpected(new TrawlFailure(ErrorKind.TOO_LARGE, "too large")));
    assertFalse(UnexpectedFailures.isUnexpected(new TrawlFailure(ErrorKind.INTERNAL, "decided, not a bug")));
    assertFalse(UnexpectedFailures.isUnexpected(new java.net.ConnectException("refused")));
    assertFalse(UnexpectedFailures.isUnexpected(new java.net.UnknownHostException("nowhere.example")));
    assertFalse(UnexpectedFailures.isUnexpected(new IOException("broken pipe")));
    assertTrue(UnexpectedFailures.isUnexpected(new IllegalStateException("a bug")));
  }

  @Test
  void aKindOfCauseIsTracedAtMostOnceAMinute() {
    UnexpectedFailures failures = new UnexpectedFailures();
    long t0 = 1_000;
    assertEquals(0, failures.due("java.lang.IllegalStateException", t0), "the first is traced");
    assertEquals(-1, failures.due("java.lang.IllegalStateException", t0 + 1));
    assertEquals(-1, failures.due("java.lang.IllegalStateException", t0 + UnexpectedFailures.QUIET_NANOS - 1));
    assertEquals(0, failures.due("java.lang.NullPointerException", t0 + 2), "another kind has its own minute");
    assertEquals(2, failures.due("java.lang.IllegalStateException", t0 + UnexpectedFailures.QUIET_NANOS),
      "a minute on, traced again, saying how many were held back");
  }
}
