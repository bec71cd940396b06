package dev.trawl.job;

import java.util.ArrayList;
import java.util.List;
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

  private final List<Lane> lanes = new ArrayList<>();
  /** The node-wide credit every step needs (the sink window). */
  private final BooleanSupplier credit;
  private int rotation;
  private boolean pumping;
  private boolean again;

  Pump(BooleanSupplier credit) {
    this.credit = credit;
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
    try {
      do {
        again = false;
        turns();
        List.copyOf(lanes).forEach(Lane::afterTurns);
      } while (again);
    } finally {
      pumping = false;
    }
  }

  private void turns() {
    boolean progressed = true;
    while (progressed && credit.getAsBoolean()) {
      progressed = false;
      for (int i = 0; i < lanes.size() && credit.getAsBoolean(); i++) {
        progressed |= lanes.get((rotation + i) % lanes.size()).step();
      }
      rotation++;
    }
  }
}
