package dev.trawl.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job's per-host politeness. Clocks are explicit nanosecond values (the gate never reads the
 * time itself); {@link #T0} is an arbitrary {@code System.nanoTime()} of the first start.
 */
class HostGateTest {

  private static final long T0 = 1_000_000_000L;
  private static final int UNLIMITED = 0;
  private static final int ROOMY = 100;
  private static final String A = "a.example";
  private static final String B = "b.example";

  private static HostGate<String> gate(int perHost, long delayMs) {
    return new HostGate<>(perHost, delayMs, ROOMY);
  }

  // perHost

  @Test
  void aHostNeverStartedMayStart() {
    assertTrue(gate(1, 100).mayStart(A, T0));
  }

  @Test
  void aHostBelowItsPerHostLimitMayStart() {
    HostGate<String> gate = gate(2, 0);
    gate.started(A, T0);
    assertTrue(gate.mayStart(A, T0));
  }

  @Test
  void aHostAtItsPerHostLimitMayNotStart() {
    HostGate<String> gate = gate(2, 0);
    gate.started(A, T0);
    gate.started(A, T0);
    assertFalse(gate.mayStart(A, T0));
  }

  @Test
  void aFinishedTryFreesItsHostsSlot() {
    HostGate<String> gate = gate(1, 0);
    gate.started(A, T0);
    gate.finished(A, T0);
    assertTrue(gate.mayStart(A, T0));
  }

  @Test
  void theLimitIsCountedPerHost() {
    HostGate<String> gate = gate(1, 0);
    gate.started(A, T0);
    assertTrue(gate.mayStart(B, T0));
  }

  @Test
  void perHostZeroMeansUnlimited() {
    HostGate<String> gate = gate(UNLIMITED, 0);
    for (int i = 0; i < 1000; i++) {
      gate.started(A, T0);
    }
    assertTrue(gate.mayStart(A, T0));
  }

  // delay between starts

  @ParameterizedTest(name = "{0} ns: may start {1}")
  @CsvSource({
    "1000000000, false",
    "1099999999, false",
    "1100000000, true",
    "1500000000, true",
  })
  void theDelayIsKeptBetweenTwoStartsToAHost(long now, boolean mayStart) {
    HostGate<String> gate = gate(UNLIMITED, 100);
    gate.started(A, T0);
    assertEquals(mayStart, gate.mayStart(A, now));
  }

  @Test
  void theDelayIsKeptPerHost() {
    HostGate<String> gate = gate(UNLIMITED, 100);
    gate.started(A, T0);
    assertTrue(gate.mayStart(B, T0));
  }

  @ParameterizedTest(name = "{0} ns: may start {1}")
  @CsvSource({
    "1100000000, false",
    "1499999999, false",
    "1500000000, true",
  })
  void aCrawlDelayLongerThanTheJobDelayRaisesTheGap(long now, boolean mayStart) {
    HostGate<String> gate = gate(UNLIMITED, 100);
    gate.minGap(A, 500);
    gate.started(A, T0);
    assertEquals(mayStart, gate.mayStart(A, now));
  }

  @Test
  void aCrawlDelayShorterThanTheJobDelayDoesNotShortenIt() {
    HostGate<String> gate = gate(UNLIMITED, 100);
    gate.minGap(A, 50);
    gate.started(A, T0);
    assertFalse(gate.mayStart(A, 1_060_000_000L));
  }

  @Test
  void aLaterSmallerCrawlDelayDoesNotLowerTheGap() {
    HostGate<String> gate = gate(UNLIMITED, 0);
    gate.minGap(A, 500);
    gate.minGap(A, 200);
    gate.started(A, T0);
    assertFalse(gate.mayStart(A, 1_300_000_000L));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1})
  void aCrawlDelayThatIsNotPositiveIsIgnored(long crawlDelayMs) {
    HostGate<String> gate = gate(UNLIMITED, 0);
    gate.minGap(A, crawlDelayMs);
    gate.started(A, T0);
    assertTrue(gate.mayStart(A, T0));
  }

  @Test
  void aCrawlDelayIsKeptPerHost() {
    HostGate<String> gate = gate(UNLIMITED, 0);
    gate.minGap(A, 500);
    gate.started(B, T0);
    assertTrue(gate.mayStart(B, T0));
  }

  @Test
  void aCrawlDelayDoesNotHoldAHostsFirstStart() {
    HostGate<String> gate = gate(UNLIMITED, 0);
    gate.minGap(A, 500);
    assertTrue(gate.mayStart(A, T0));
  }

  @Test
  void aCrawlDelayOutlivesTheSweepOfIdleHosts() {
    HostGate<String> gate = gate(UNLIMITED, 0);
    gate.minGap(A, 500);
    gate.started(A, T0);
    gate.finished(A, T0);
    for (int i = 0; i < 2048; i++) { // the sweep runs every 1024 finishes; A has been idle past its gap
      gate.started(B, 2_000_000_000L);
      gate.finished(B, 2_000_000_000L);
    }
    gate.started(A, 3_000_000_000L);
    assertFalse(gate.mayStart(A, 3_400_000_000L));
  }

  // parking

  @Test
  void nothingIsStartableWhenNothingIsParked() {
    assertNull(gate(1, 0).pollStartable(T0));
  }

  @Test
  void parkedCountsTheRequestsWaiting() {
    HostGate<String> gate = gate(1, 0);
    gate.park(A, "a1");
    gate.park(A, "a2");
    gate.park(B, "b1");
    assertEquals(3, gate.parked());
  }

  @Test
  void aHostsParkedRequestsComeBackInTheOrderTheyWereParked() {
    HostGate<String> gate = gate(UNLIMITED, 0);
    gate.park(A, "a1");
    gate.park(A, "a2");
    gate.park(A, "a3");
    List<String> polled = new ArrayList<>();
    for (String next = gate.pollStartable(T0); next != null; next = gate.pollStartable(T0)) {
      polled.add(next);
    }
    assertEquals(List.of("a1", "a2", "a3"), polled);
  }

  @Test
  void aParkedRequestStaysParkedWhileItsHostIsAtItsLimit() {
    HostGate<String> gate = gate(1, 0);
    gate.started(A, T0);
    gate.park(A, "a1");
    assertNull(gate.pollStartable(T0));
  }

  @Test
  void aRequestThatStaysParkedIsStillCounted() {
    HostGate<String> gate = gate(1, 0);
    gate.started(A, T0);
    gate.park(A, "a1");
    gate.pollStartable(T0);
    assertEquals(1, gate.parked());
  }

  @Test
  void aParkedRequestIsStartableOnceItsHostFinishesATry() {
    HostGate<String> gate = gate(1, 0);
    gate.started(A, T0);
    gate.park(A, "a1");
    gate.finished(A, T0);
    assertEquals("a1", gate.pollStartable(T0));
  }

  @ParameterizedTest(name = "{0} ns: {1}")
  @CsvSource({
    "1099999999,",
    "1100000000, a1",
  })
  void aParkedRequestIsStartableOnceItsHostsGapHasPassed(long now, String startable) {
    HostGate<String> gate = gate(UNLIMITED, 100);
    gate.started(A, T0);
    gate.park(A, "a1");
    assertEquals(startable, gate.pollStartable(now));
  }

  @Test
  void aHeldHostDoesNotHoldBackAnotherHostsParkedRequests() {
    HostGate<String> gate = gate(1, 0);
    gate.started(A, T0);
    gate.park(A, "a1");
    gate.park(B, "b1");
    assertEquals("b1", gate.pollStartable(T0));
  }

  @Test
  void takingAParkedRequestLeavesCountingTheStartToTheOwner() {
    HostGate<String> gate = gate(1, 0);
    gate.park(A, "a1");
    gate.park(A, "a2");
    gate.pollStartable(T0);
    assertEquals("a2", gate.pollStartable(T0));
  }

  @Test
  void takingAParkedRequestUncountsIt() {
    HostGate<String> gate = gate(UNLIMITED, 0);
    gate.park(A, "a1");
    gate.park(A, "a2");
    gate.pollStartable(T0);
    assertEquals(1, gate.parked());
  }

  // capacity

  @ParameterizedTest(name = "{0} parked of 3: full {1}")
  @CsvSource({
    "0, false",
    "2, false",
    "3, true",
    "4, true",
  })
  void theGateIsFullOnceCapacityRequestsAreParked(int parked, boolean full) {
    HostGate<String> gate = new HostGate<>(1, 0, 3);
    for (int i = 0; i < parked; i++) {
      gate.park(A, "a" + i);
    }
    assertEquals(full, gate.full());
  }

  @Test
  void takingAParkedRequestMakesRoom() {
    HostGate<String> gate = new HostGate<>(UNLIMITED, 0, 2);
    gate.park(A, "a1");
    gate.park(B, "b1");
    gate.pollStartable(T0);
    assertFalse(gate.full());
  }

  // drain

  @Test
  void drainReturnsEveryParkedRequest() {
    HostGate<String> gate = gate(1, 0);
    gate.started(A, T0);
    gate.park(A, "a1");
    gate.park(B, "b1");
    gate.park(A, "a2");
    assertEquals(Set.of("a1", "a2", "b1"), new HashSet<>(gate.drain()));
  }

  @Test
  void drainKeepsAHostsOrder() {
    HostGate<String> gate = gate(1, 0);
    gate.park(A, "a1");
    gate.park(A, "a2");
    gate.park(A, "a3");
    assertEquals(List.of("a1", "a2", "a3"), new ArrayList<>(gate.drain()));
  }

  @Test
  void afterADrainNothingIsParked() {
    HostGate<String> gate = new HostGate<>(1, 0, 2);
    gate.park(A, "a1");
    gate.park(B, "b1");
    gate.drain();
    assertEquals(0, gate.parked());
  }

  @Test
  void afterADrainTheGateIsNoLongerFull() {
    HostGate<String> gate = new HostGate<>(1, 0, 2);
    gate.park(A, "a1");
    gate.park(B, "b1");
    gate.drain();
    assertFalse(gate.full());
  }

  @Test
  void afterADrainNothingIsStartable() {
    HostGate<String> gate = gate(1, 0);
    gate.park(A, "a1");
    gate.drain();
    assertNull(gate.pollStartable(T0));
  }

  // nextStartNanos

  @Test
  void noNextStartWhenNothingIsParked() {
    HostGate<String> gate = gate(1, 100);
    gate.started(A, T0);
    assertEquals(-1, gate.nextStartNanos(T0));
  }

  @Test
  void aHostHeldOnlyByTheGapStartsWhenTheGapEnds() {
    HostGate<String> gate = gate(1, 100);
    gate.started(A, T0);
    gate.finished(A, T0);
    gate.park(A, "a1");
    assertEquals(1_100_000_000L, gate.nextStartNanos(T0));
  }

  @Test
  void aHostHeldByItsPerHostLimitHasNoNextStart() {
    HostGate<String> gate = gate(1, 100);
    gate.started(A, T0);
    gate.park(A, "a1");
    assertEquals(-1, gate.nextStartNanos(T0));
  }

  @Test
  void withUnlimitedPerHostAHostIsHeldOnlyByTheGap() {
    HostGate<String> gate = gate(UNLIMITED, 100);
    gate.started(A, T0);
    gate.started(A, T0);
    gate.park(A, "a1");
    assertEquals(1_100_000_000L, gate.nextStartNanos(T0));
  }

  @Test
  void theCrawlDelayIsTheGapOfTheNextStart() {
    HostGate<String> gate = gate(UNLIMITED, 100);
    gate.minGap(A, 500);
    gate.started(A, T0);
    gate.park(A, "a1");
    assertEquals(1_500_000_000L, gate.nextStartNanos(T0));
  }

  @Test
  void theNextStartIsTheEarliestOfTheHostsHeldByTheGap() {
    HostGate<String> gate = gate(UNLIMITED, 100);
    gate.started(B, 1_050_000_000L);
    gate.started(A, T0);
    gate.park(B, "b1");
    gate.park(A, "a1");
    assertEquals(1_100_000_000L, gate.nextStartNanos(1_060_000_000L));
  }

  @Test
  void aHostAtItsLimitDoesNotHideAHostHeldByTheGap() {
    HostGate<String> gate = gate(1, 100);
    gate.started(A, T0);
    gate.park(A, "a1");
    gate.started(B, 1_050_000_000L);
    gate.finished(B, 1_050_000_000L);
    gate.park(B, "b1");
    assertEquals(1_150_000_000L, gate.nextStartNanos(1_060_000_000L));
  }

  @Test
  void aParkedHostThatNeverStartedIsNotHeldByTheGap() {
    HostGate<String> gate = gate(UNLIMITED, 100);
    gate.park(A, "a1");
    assertEquals(-1, gate.nextStartNanos(T0));
  }

  @Test
  void aParkedHostThatNeverStartedDoesNotHideAHostHeldByTheGap() {
    HostGate<String> gate = gate(UNLIMITED, 100);
    gate.started(B, T0);
    gate.park(B, "b1");
    gate.park(A, "a1");
    assertEquals(1_100_000_000L, gate.nextStartNanos(T0));
  }
}
