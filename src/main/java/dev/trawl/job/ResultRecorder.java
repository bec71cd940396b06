package dev.trawl.job;

import dev.trawl.bus.Addresses;
import dev.trawl.cluster.Codecs;
import dev.trawl.error.Messages;
import dev.trawl.sink.ResultLine;
import io.vertx.core.AsyncResult;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;

/**
 * Turns each {@link Result} into its line: counted by its job (which gives it its {@code seq}),
 * written by the sink, published to the job's results address. Keeps the node's sink window: at
 * most {@link #SINK_WINDOW} lines handed to the sink and not yet written, over all jobs, so a
 * slow disk stops the pump instead of filling memory. Every line handed over gives its credit
 * back when the sink answers, whether it wrote the line, failed, or did not answer in time.
 */
final class ResultRecorder {

  private static final System.Logger LOG = System.getLogger(ResultRecorder.class.getName());
  /** Result lines handed to the sink and not yet written, over all jobs. */
  static final int SINK_WINDOW = 4096;

  /** A result with its line, encoded: a result that cannot be encoded is replaced before it counts. */
  private record Line(Result result, JsonObject json, String encoded) {
  }

  private final EventBus bus;
  private final JobMetrics metrics;
  private final Runnable onRoom;
  private int unacked;

  /** @param onRoom called when the window, once full, has drained to half */
  ResultRecorder(EventBus bus, JobMetrics metrics, Runnable onRoom) {
    this.bus = bus;
    this.metrics = metrics;
    this.onRoom = onRoom;
  }

  /** Whether another line may be handed to the sink now. */
  boolean hasRoom() {
    return unacked < SINK_WINDOW;
  }

  /** Records a request's one result. */
  void record(JobRun run, Result result) {
    record(run, result, null);
  }

  /** Records a request's one result, with journal lines that must be on disk before it (or null). */
  void record(JobRun run, Result result, String journal) {
    Line line = lineOf(run, result);
    long seq = run.settle(line.result());
    metrics.result(line.result().ok() ? "ok" : line.result().kind().wire());
    unacked++;
    bus.request(Addresses.SINK_WRITE, new ResultLine(run.id(), seq, line.encoded(), journal))
      .onComplete(written -> onWritten(run, seq, written));
    // Subscribers on this node share the one object: no deep copy per results stream.
    bus.publish(Addresses.results(run.id()), line.json(), Codecs.SHARED_JSON);
  }

  /**
   * Encodes the line before the result is counted, so that what the summary counts is what the
   * file gets. The seq is the one {@link JobRun#settle} gives next.
   */
  private static Line lineOf(JobRun run, Result result) {
    long seq = run.nextSeq();
    JsonObject json = result.toJson(run.id(), seq);
    try {
      return new Line(result, json, json.encode());
    } catch (EncodeException e) {
      Result failed = result.unencodable(Messages.brief(e.getMessage()));
      JsonObject failedJson = failed.toJson(run.id(), seq);
      return new Line(failed, failedJson, failedJson.encode());
    }
  }

  private void onWritten(JobRun run, long seq, AsyncResult<?> written) {
    unacked--;
    if (written.failed()) {
      LOG.log(System.Logger.Level.ERROR, "job {0}: result {1} not written: {2}", run.id(), seq,
        written.cause().getMessage());
      run.writeFailed(written.cause().getMessage());
    }
    if (unacked == SINK_WINDOW / 2) {
      onRoom.run();
    }
  }
}
