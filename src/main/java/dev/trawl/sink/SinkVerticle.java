package dev.trawl.sink;

import dev.trawl.Addresses;
import dev.trawl.config.TrawlConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes each job's results to {@code <sink.dir>/<name>/<jobId>.jsonl} through {@link AsyncFile}
 * and its summary next to it when the job ends. One per node, on the event loop (AsyncFile does
 * not block). Back-pressure: a write is acknowledged only while the file's write queue is not
 * full; the rest wait for its drain, and the coordinator stops producing while they wait.
 */
public class SinkVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(SinkVerticle.class.getName());

  /** An open results file and the writes still in progress on it. */
  private static final class OpenFile {
    final AsyncFile file;
    final String path;
    final List<Message<?>> heldAcks = new ArrayList<>();
    final List<Waiter> waiters = new ArrayList<>();
    long issued;
    long completed;
    long failedWrites;
    boolean dirty;

    OpenFile(AsyncFile file, String path) {
      this.file = file;
      this.path = path;
    }
  }

  private record Waiter(long upTo, Promise<Void> promise) {
  }

  private final Map<String, OpenFile> files = new HashMap<>();
  private TrawlConfig cfg;
  private long flushTimer;

  @Override
  public Future<?> start() {
    cfg = TrawlConfig.from(config());
    flushTimer = vertx.setPeriodic(cfg.sinkFlushMs(), id -> flushDirty());
    var bus = vertx.eventBus();
    return Future.all(List.of(
      bus.<JsonObject>localConsumer(Addresses.SINK_OPEN, this::onOpen).completion(),
      bus.<ResultLine>localConsumer(Addresses.SINK_WRITE, this::onWrite).completion(),
      bus.<JsonObject>localConsumer(Addresses.SINK_FLUSH, this::onFlush).completion(),
      bus.<JsonObject>localConsumer(Addresses.SINK_CLOSE, this::onClose).completion()));
  }

  /** On a graceful stop every line handed to the sink is written, flushed and closed. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    List<Future<Void>> closing = new ArrayList<>();
    files.values().forEach(f -> closing.add(written(f).compose(v -> f.file.flush()).compose(v -> f.file.close())));
    files.clear();
    return Future.join(closing);
  }

  private void onOpen(Message<JsonObject> message) {
    String jobId = message.body().getString("jobId");
    String path = message.body().getString("path");
    Path parent = Path.of(path).toAbsolutePath().getParent();
    vertx.fileSystem().mkdirs(parent.toString())
      .compose(v -> vertx.fileSystem().open(path, new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true)))
      .onSuccess(file -> {
        OpenFile open = new OpenFile(file, path);
        file.drainHandler(v -> releaseAcks(open));
        files.put(jobId, open);
        message.reply(new JsonObject().put("path", path));
      })
      .onFailure(error -> message.fail(500, "cannot open " + path + ": " + error.getMessage()));
  }

  private void onWrite(Message<ResultLine> message) {
    ResultLine line = message.body();
    OpenFile open = files.get(line.jobId());
    if (open == null) {
      message.fail(404, "no open results file for job " + line.jobId());
      return;
    }
    open.issued++;
    open.dirty = true;
    open.file.write(Buffer.buffer(line.json()).appendByte((byte) '\n')).onComplete(done -> {
      open.completed++;
      releaseWaiters(open);
      if (done.failed()) {
        open.failedWrites++;
        LOG.log(System.Logger.Level.ERROR, "{0}: result {1} was not written: {2}", open.path, line.seq(),
          done.cause().getMessage());
      }
    });
    if (open.file.writeQueueFull()) {
      open.heldAcks.add(message);
    } else {
      message.reply(null);
    }
  }

  private void onFlush(Message<JsonObject> message) {
    OpenFile open = files.get(message.body().getString("jobId"));
    if (open == null) {
      message.reply(new JsonObject()); // closed already: the whole file is complete
      return;
    }
    // Writes land at their own positions and may complete out of order, so only the bytes
    // before the position of the last write issued now are known whole once those complete.
    long complete = open.file.getWritePos();
    written(open).onComplete(done -> message.reply(new JsonObject().put("length", complete)));
  }

  private void onClose(Message<JsonObject> message) {
    String jobId = message.body().getString("jobId");
    OpenFile open = files.remove(jobId);
    if (open == null) {
      message.fail(404, "no open results file for job " + jobId);
      return;
    }
    Buffer summary = message.body().getJsonObject("summary").toBuffer().appendByte((byte) '\n');
    written(open)
      .compose(v -> open.file.flush())
      .compose(v -> open.file.close())
      .andThen(v -> releaseAcks(open))
      .compose(v -> vertx.fileSystem().writeFile(summaryPath(open.path), summary))
      .compose(v -> open.failedWrites == 0 ? Future.<Void>succeededFuture()
        : Future.failedFuture(open.failedWrites + " results could not be written"))
      .onSuccess(v -> message.reply(null))
      .onFailure(error -> message.fail(500, "cannot close " + open.path + ": " + error.getMessage()));
  }

  /** {@code data/books/<id>.jsonl} → {@code data/books/<id>.summary.json}. */
  public static String summaryPath(String resultsPath) {
    return resultsPath.replaceFirst("\\.jsonl$", "") + ".summary.json";
  }

  /** Completes once every write issued on the file so far has completed. */
  private Future<Void> written(OpenFile open) {
    if (open.completed >= open.issued) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    open.waiters.add(new Waiter(open.issued, promise));
    return promise.future();
  }

  private static void releaseWaiters(OpenFile open) {
    open.waiters.removeIf(waiter -> {
      if (open.completed >= waiter.upTo()) {
        waiter.promise().complete();
        return true;
      }
      return false;
    });
  }

  private static void releaseAcks(OpenFile open) {
    List<Message<?>> held = new ArrayList<>(open.heldAcks);
    open.heldAcks.clear();
    held.forEach(message -> message.reply(null));
  }

  private void flushDirty() {
    files.values().stream().filter(f -> f.dirty).forEach(f -> {
      f.dirty = false;
      f.file.flush();
    });
  }
}
