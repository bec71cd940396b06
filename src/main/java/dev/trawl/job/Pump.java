package dev.trawl.job;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Hands out work while there is credit: round-robin over the running jobs, one step of each per
 * turn, so a large job cannot starve a small one. After the turns, each job gets to look at
 * itself ({@link Lane#afterTurns}): set a wake-up timer, notice it has settled. A call that
 * arrives while pumping (a result that frees a slot, a job that finished) makes the pump go
 * round once more instead of nesting.
 */
final class Pump {

  /** One running job, as the pump sees it. */
  interface Lane {
    /** One unit of progress; false when the job can do nothing now. */
    boolean step();

    /** Called after every pumping round. */
    void afterTurns();
  }

  /**
   * Steps one run takes at most before it yields the event loop and goes on in a later turn: a
   * job of thousands of ready requests must not hold the loop for its whole first round.
   */
  static final int MAX_STEPS_PER_RUN = 256;

  private final List<Lane> lanes = new ArrayList<>();
  /** The node-wide credit every step needs (the sink window). */
  private final BooleanSupplier credit;
  /** Runs a task on a later turn of the owner's event loop. */
  private final Executor later;
  private int rotation;
  private boolean pumping;
  private boolean again;
  private boolean resumeScheduled;
  private int stepsThisRun;

  /** A pump that never yields (for tests that step it by hand). */
  Pump(BooleanSupplier credit) {
    this(credit, Runnable::run);
  }

  Pump(BooleanSupplier credit, Executor later) {
    this.credit = credit;
    this.later = later;
  }

  void add(Lane lane) {
    lanes.add(lane);
  }

  void remove(Lane lane) {
    lanes.remove(lane);
  }

  /** The running jobs. */
  int size() {
    return lanes.size();
  }

  void run() {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    stepsThisRun = 0;
    try {
      do {
        again = false;
        turns();
        List.copyOf(lanes).forEach(Lane::afterTurns);
      } while (again && stepsThisRun < MAX_STEPS_PER_RUN);
    } finally {
      pumping = false;
    }
    if (stepsThisRun >= MAX_STEPS_PER_RUN) {
      resumeLater();
    }
  }

  private void resumeLater() {
    if (resumeScheduled) {
      return;
    }
    resumeScheduled = true;
    later.execute(() -> {
      resumeScheduled = false;
      run();
    });
  }

  /**
   * Rounds of one step per job. The next round (and the next run) begins with the job after the
   * last one that made progress: when one slot frees at a time (a host's shared limit), the jobs
   * waiting for it take it in turn.
   */
  private void turns() {
    boolean progressed = true;
    while (progressed && credit.getAsBoolean() && stepsThisRun < MAX_STEPS_PER_RUN) {
      progressed = false;
      int size = lanes.size();
      int start = rotation;
      for (int i = 0; i < size && credit.getAsBoolean(); i++) {
        int lane = (start + i) % size;
        if (lanes.get(lane).step()) {
          progressed = true;
          rotation = lane + 1;
        }
        stepsThisRun++;
      }
    }
  }
}
