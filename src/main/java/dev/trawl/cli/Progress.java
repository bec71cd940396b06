package dev.trawl.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintStream;

/**
 * The CLI's progress line: done/total, rate, errors, ETA. On a terminal it rewrites one line;
 * into a file or a pipe it writes a line every few seconds instead of flooding.
 */
final class Progress {

  private static final long PLAIN_EVERY_MS = 5000;

  private final PrintStream err;
  private final boolean terminal = System.console() != null;
  private long lastPlainLine;

  Progress(PrintStream err) {
    this.err = err;
  }

  void show(JsonObject summary) {
    if (terminal) {
      err.print("\r" + line(summary) + "   ");
      err.flush();
    } else if (System.currentTimeMillis() - lastPlainLine >= PLAIN_EVERY_MS) {
      lastPlainLine = System.currentTimeMillis();
      err.println(line(summary));
    }
  }

  void finish(JsonObject summary) {
    if (terminal) {
      err.print("\r" + line(summary) + "   \n");
    }
    err.printf("trawl: job %s %s: %d ok, %d failed, %d cancelled of %d in %.1f s -> %s%n",
      summary.getString("id"), summary.getString("state"), summary.getLong("ok"), summary.getLong("failed"),
      summary.getLong("cancelled"), summary.getLong("total"), summary.getLong("elapsedMs") / 1000.0,
      summary.getString("output"));
  }

  static String line(JsonObject summary) {
    long done = summary.getLong("done");
    long total = summary.getLong("total");
    double rate = summary.getDouble("rate");
    long errors = summary.getLong("failed");
    String eta = rate > 0 && total > done ? formatSeconds((total - done) / rate) : "-";
    int percent = total == 0 ? 100 : (int) (done * 100 / total);
    return String.format("[trawl] %d/%d (%d%%)  %.1f/s  errors %d  ETA %s", done, total, percent, rate, errors, eta);
  }

  private static String formatSeconds(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
  }
}
