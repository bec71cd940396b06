package dev.trawl.job;

/** A job's counters: how many requests it has, how they ended, and the next result's {@code seq}. */
final class Tally {

  private long total;
  private long ok;
  private long failed;
  private long cancelled;
  private long nextSeq;
  private long refetched;

  Tally(long total) {
    this.total = total;
  }

  /** Counts one result and returns its {@code seq}: results are numbered in the order they end. */
  long count(Result result) {
    if (result.ok()) {
      ok++;
    } else if (result.cancelled()) {
      cancelled++;
    } else {
      failed++;
    }
    return nextSeq++;
  }

  /** A crawl found one more page: it gets the next index. */
  long addRequest() {
    return total++;
  }

  /** A try was sent again because the node fetching it was lost. */
  void refetched() {
    refetched++;
  }

  /** Tries fetched again after a restart: they were in flight when the node stopped. */
  void refetched(long tries) {
    refetched += tries;
  }

  /** A resumed job's counts, as its results file holds them. */
  void restore(long ok, long failed, long cancelled, long refetched) {
    this.ok = ok;
    this.failed = failed;
    this.cancelled = cancelled;
    this.nextSeq = ok + failed + cancelled;
    this.refetched = refetched;
  }

  long total() {
    return total;
  }

  long ok() {
    return ok;
  }

  long failed() {
    return failed;
  }

  long cancelled() {
    return cancelled;
  }

  long done() {
    return ok + failed + cancelled;
  }

  long refetchedCount() {
    return refetched;
  }
}
