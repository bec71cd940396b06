package dev.trawl.job;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs this node coordinates, in the order they came: those waiting for a slot, those
 * running, and the last {@code jobs.keepFinished} that ended (older ones are forgotten).
 */
final class JobTable {

  private final Map<String, JobRun> jobs = new LinkedHashMap<>();
  private final ArrayDeque<JobRun> queued = new ArrayDeque<>();
  private final ArrayDeque<String> finishedOrder = new ArrayDeque<>();
  private final int keepFinished;

  JobTable(int keepFinished) {
    this.keepFinished = keepFinished;
  }

  JobRun get(String id) {
    return id == null ? null : jobs.get(id);
  }

  Collection<JobRun> all() {
    return jobs.values();
  }

  /** Jobs that have not ended yet (queued, running, or closing their files). */
  List<JobRun> live() {
    return jobs.values().stream().filter(run -> !run.finished().isComplete()).toList();
  }

  void enqueue(JobRun run) {
    jobs.put(run.id(), run);
    queued.add(run);
  }

  int queuedCount() {
    return queued.size();
  }

  /** A job that ended before this node started, read back from its summary. */
  void addEnded(JobRun run) {
    jobs.put(run.id(), run);
    ended(run);
  }

  /** The job waiting longest that is not paused, taken off the queue; null when none waits. */
  JobRun nextStartable() {
    for (Iterator<JobRun> it = queued.iterator(); it.hasNext(); ) {
      JobRun run = it.next();
      if (!run.paused()) {
        it.remove();
        return run;
      }
    }
    return null;
  }

  /** Takes a queued job off the queue (it is started at once to be cancelled). */
  void unqueue(JobRun run) {
    queued.remove(run);
  }

  /** Takes every job off the queue (the node is stopping; each is started to be cancelled). */
  void clearQueue() {
    queued.clear();
  }

  /** A job ended: it is kept among the last {@code jobs.keepFinished} that did. */
  void ended(JobRun run) {
    finishedOrder.add(run.id());
    while (finishedOrder.size() > keepFinished) {
      jobs.remove(finishedOrder.poll());
    }
  }
}
