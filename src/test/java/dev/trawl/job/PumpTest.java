package dev.trawl.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pump's turns, with fake lanes that write what they do into one shared log: a lane's name
 * for each step that made progress, {@code name:after} for each {@code afterTurns}, or
 * {@code name:after inside a step} should a pump nest a round inside a lane's step.
 */
class PumpTest {

  private static final int ENDLESS = Integer.MAX_VALUE;

  private final List<String> log = new ArrayList<>();
  /** Whether some lane's step is running now. */
  private boolean stepping;

  /** A lane with {@code work} steps to make; it counts every call of {@code step}, progressing or not. */
  private final class FakeLane implements Pump.Lane {
    final String name;
    int work;
    int stepCalls;
    Runnable inStep = () -> { };
    Runnable inAfterTurns = () -> { };

    FakeLane(String name, int work) {
      this.name = name;
      this.work = work;
    }

    @Override
    public boolean step() {
      stepCalls++;
      if (work == 0) {
        return false;
      }
      work--;
      log.add(name);
      stepping = true;
      inStep.run();
      stepping = false;
      return true;
    }

    @Override
    public void afterTurns() {
      log.add(stepping ? name + ":after inside a step" : name + ":after");
      inAfterTurns.run();
    }
  }

  /** A pump with endless credit and one lane per entry of {@code work}, named a, b, c, … */
  private Pump pumpWithLanes(int... work) {
    Pump pump = new Pump(() -> true);
    for (int i = 0; i < work.length; i++) {
      pump.add(new FakeLane(String.valueOf((char) ('a' + i)), work[i]));
    }
    return pump;
  }

  /** The log's steps only, joined by commas. */
  private String steps() {
    return String.join(",", log.stream().filter(entry -> !entry.contains(":after")).toList());
  }

  @ParameterizedTest(name = "work {0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
    3,3   | a,b,a,b,a,b
    5,2   | a,b,a,b,a,a,a
    1,4   | a,b,b,b,b
    2,1,2 | a,b,c,a,c
    """)
  void roundRobinGivesEachLaneOneStepPerTurnStartingAfterTheLastLaneThatProgressed(String work, String expectedSteps) {
    int[] perLane = Arrays.stream(work.split(",")).mapToInt(Integer::parseInt).toArray();
    pumpWithLanes(perLane).run();
    assertEquals(expectedSteps, steps());
  }

  @Test
  void aBigLaneDoesNotStarveASmallOne() {
    Pump pump = new Pump(() -> log.size() < 6);
    pump.add(new FakeLane("big", ENDLESS));
    pump.add(new FakeLane("small", 2));
    pump.run();
    assertEquals("big,small,big,small,big,big", steps());
  }

  @Test
  void itStopsWhenNoLaneProgressesAfterOneTurnOfStepsThatDidNothing() {
    FakeLane idle = new FakeLane("a", 0);
    FakeLane busy = new FakeLane("b", 2);
    Pump pump = new Pump(() -> true);
    pump.add(idle);
    pump.add(busy);
    pump.run();
    assertEquals(List.of(3, 3), List.of(idle.stepCalls, busy.stepCalls));
  }

  @Test
  void whenOneStepCanBeTakenPerRunTheLanesTakeItInTurn() {
    // One slot frees at a time (a host's shared limit): each run lets exactly one lane start.
    int[] credit = {0};
    Pump pump = new Pump(() -> credit[0] > 0);
    FakeLane a = new FakeLane("a", ENDLESS);
    FakeLane b = new FakeLane("b", ENDLESS);
    a.inStep = () -> credit[0]--;
    b.inStep = () -> credit[0]--;
    pump.add(a);
    pump.add(b);
    for (int run = 0; run < 4; run++) {
      credit[0] = 1;
      pump.run();
    }
    assertEquals("a,b,a,b", steps());
  }

  @Test
  void itStopsWhenTheCreditSaysNo() {
    Pump pump = new Pump(() -> log.size() < 3);
    pump.add(new FakeLane("a", ENDLESS));
    pump.add(new FakeLane("b", ENDLESS));
    pump.run();
    assertEquals("a,b,a", steps());
  }

  @Test
  void withoutCreditNoLaneIsSteppedButEachStillGetsItsAfterTurns() {
    FakeLane lane = new FakeLane("a", 5);
    Pump pump = new Pump(() -> false);
    pump.add(lane);
    pump.run();
    assertEquals(List.of("a:after"), log);
  }

  @Test
  void afterTurnsIsCalledOnEveryLaneOnceTheTurnsAreOver() {
    pumpWithLanes(2, 1).run();
    assertEquals(List.of("a", "b", "a", "a:after", "b:after"), log);
  }

  @Test
  void aRunCalledFromInsideAStepDoesNotNestButGoesRoundAgain() {
    Pump pump = new Pump(() -> true);
    FakeLane a = new FakeLane("a", 1);
    a.inStep = pump::run;
    pump.add(a);
    pump.add(new FakeLane("b", 0));
    pump.run();
    assertEquals(List.of("a", "a:after", "b:after", "a:after", "b:after"), log);
  }

  @Test
  void aRunCalledFromAfterTurnsDoesNotNestButStepsTheWorkItMadeInAnotherRound() {
    Pump pump = new Pump(() -> true);
    FakeLane a = new FakeLane("a", 0);
    FakeLane b = new FakeLane("b", 0);
    a.inAfterTurns = () -> {
      a.inAfterTurns = () -> { };
      b.work = 1; // say a result freed a slot that b can use
      pump.run();
    };
    pump.add(a);
    pump.add(b);
    pump.run();
    assertEquals(List.of("a:after", "b:after", "b", "a:after", "b:after"), log);
  }

  @Test
  void aLaneRemovedInAfterTurnsIsNotSteppedAgain() {
    Pump pump = new Pump(() -> true);
    FakeLane a = new FakeLane("a", 0);
    FakeLane b = new FakeLane("b", 0);
    a.inAfterTurns = () -> {
      pump.remove(a);
      pump.run(); // another round, in which a must not be stepped
    };
    pump.add(a);
    pump.add(b);
    pump.run();
    assertEquals(List.of(1, 2), List.of(a.stepCalls, b.stepCalls));
  }
}
