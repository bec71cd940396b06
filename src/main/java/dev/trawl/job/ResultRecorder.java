package dev.trawl.job;

import dev.trawl.bus.Addresses;
import dev.trawl.sink.ResultLine;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Turns each {@link Result} into its line: counted by its job (which gives it its {@code seq}),
 * written by the sink, published to the job's results address. Keeps the node's sink window: at
 * most {@link #SINK_WINDOW} lines handed to the sink and not yet accepted, over all jobs, so a
 * slow disk stops the pump instead of filling memory.
 */
final class ResultRecorder {

  private static final System.Logger LOG = System.getLogger(ResultRecorder.class.getName());
  /** Result lines handed to the sink and not yet accepted by it, over all jobs. */
  static final int SINK_WINDOW = 4096;

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
    long seq = run.settle(result);
    JsonObject line = result.toJson(run.id(), seq);
    metrics.result(result.ok() ? "ok" : result.kind().wire());
    unacked++;
    bus.request(Addresses.SINK_WRITE, new ResultLine(run.id(), seq, line.encode())).onComplete(accepted -> {
      if (accepted.failed()) {
        LOG.log(System.Logger.Level.ERROR, "job {0}: result {1} not written: {2}", run.id(), seq,
          accepted.cause().getMessage());
      }
      unacked--;
      if (unacked == SINK_WINDOW / 2) {
        onRoom.run();
      }
    });
    bus.publish(Addresses.results(run.id()), line);
  }
}
