package dev.trawl.job;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How a job's mode decides its end, fed one result at a time: each row is a mode, what happened in
 * order, and the end state the job is decided as, or {@code undecided} while {@code ending()} has
 * not completed. Events: {@code ok} and {@code fail} (a result), {@code settled} (every request has
 * settled), {@code cancel} and {@code expire} (a stop as CANCELLED or EXPIRED).
 *
 * <p>No Vert.x context is involved: the signals are plain promises, so each event takes effect
 * before the next one is fed.
 */
class ResultSignalsTest {

  private static final String UNDECIDED = "undecided";

  /** The end as the row writes it: a {@link JobState} name, or {@code undecided}. */
  private static String endAfter(Mode mode, String events) {
    ResultSignals signals = new ResultSignals(mode);
    Future<JobState> ending = signals.ending(); // asked at the start, as a running job does
    for (String event : events.isBlank() ? new String[0] : events.split(",")) {
      feed(signals, event.trim());
    }
    return ending.isComplete() ? ending.result().name() : UNDECIDED;
  }

  private static void feed(ResultSignals signals, String event) {
    switch (event) {
      case "ok" -> signals.onOk();
      case "fail" -> signals.onFailure();
      case "settled" -> signals.onAllSettled();
      case "cancel" -> signals.stop(JobState.CANCELLED);
      case "expire" -> signals.stop(JobState.EXPIRED);
      default -> throw new IllegalArgumentException("no such event in the table: " + event);
    }
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
    JOIN  | ok,fail,ok            | undecided
    JOIN  | fail,fail,fail        | undecided
    JOIN  | ok,fail,ok,settled    | SUCCEEDED
    JOIN  | fail,fail,settled     | SUCCEEDED
    JOIN  | settled               | SUCCEEDED
    """)
  void joinIgnoresFailuresAndDecidesOnlyWhenAllSettled(Mode mode, String events, String end) {
    assertEquals(end, endAfter(mode, events));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
    ALL   | ok,ok                 | undecided
    ALL   | ok,fail               | FAILED
    ALL   | fail                  | FAILED
    ALL   | ok,fail,ok,settled    | FAILED
    ALL   | ok,ok,settled         | SUCCEEDED
    ALL   | settled               | SUCCEEDED
    """)
  void allFailsAtTheFirstFailureAndSucceedsWhenAllSettledOk(Mode mode, String events, String end) {
    assertEquals(end, endAfter(mode, events));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
    ANY   | fail,fail             | undecided
    ANY   | fail,ok               | SUCCEEDED
    ANY   | ok                    | SUCCEEDED
    ANY   | ok,fail,settled       | SUCCEEDED
    ANY   | fail,fail,settled     | FAILED
    ANY   | settled               | FAILED
    """)
  void anySucceedsAtTheFirstOkAndFailsWhenAllSettledWithoutOne(Mode mode, String events, String end) {
    assertEquals(end, endAfter(mode, events));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
    FIRST | ''                    | undecided
    FIRST | ok                    | SUCCEEDED
    FIRST | ok,fail               | SUCCEEDED
    FIRST | fail                  | FAILED
    FIRST | fail,ok,settled       | FAILED
    FIRST | settled               | FAILED
    """)
  void firstDecidesOnTheFirstResultEitherWay(Mode mode, String events, String end) {
    assertEquals(end, endAfter(mode, events));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
    JOIN  | cancel                | CANCELLED
    JOIN  | ok,fail,expire        | EXPIRED
    JOIN  | ok,cancel,settled     | CANCELLED
    ALL   | ok,expire,fail        | EXPIRED
    ALL   | cancel,ok,settled     | CANCELLED
    ANY   | fail,cancel,ok        | CANCELLED
    ANY   | expire,fail,settled   | EXPIRED
    FIRST | cancel,ok             | CANCELLED
    FIRST | expire,fail           | EXPIRED
    """)
  void aStopBeforeTheDecisionWins(Mode mode, String events, String end) {
    assertEquals(end, endAfter(mode, events));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
    JOIN  | ok,settled,cancel     | SUCCEEDED
    JOIN  | fail,settled,expire   | SUCCEEDED
    ALL   | fail,cancel           | FAILED
    ALL   | ok,settled,expire     | SUCCEEDED
    ANY   | ok,cancel             | SUCCEEDED
    ANY   | fail,settled,expire   | FAILED
    FIRST | fail,cancel           | FAILED
    FIRST | ok,expire,cancel      | SUCCEEDED
    """)
  void aStopAfterTheDecisionDoesNotChangeIt(Mode mode, String events, String end) {
    assertEquals(end, endAfter(mode, events));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
    JOIN  | cancel,expire         | CANCELLED
    ALL   | expire,cancel         | EXPIRED
    """)
  void theFirstStopWinsOverALaterOne(Mode mode, String events, String end) {
    assertEquals(end, endAfter(mode, events));
  }

  @Test
  void aStopBeforeTheDecisionWinsAlsoWhenEndingIsAskedLate() {
    ResultSignals signals = new ResultSignals(Mode.JOIN);
    signals.stop(JobState.CANCELLED);
    signals.onAllSettled();
    assertEquals(JobState.CANCELLED, signals.ending().result());
  }
}
