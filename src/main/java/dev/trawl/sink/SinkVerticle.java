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
import java.util.TreeSet;

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
    /**
     * Start positions of writes not finished yet. AsyncFile writes land at their own positions
     * and finish in any order, so the file is whole only up to the first of these.
     */
    final TreeSet<Long> unfinished = new TreeSet<>();
    final List<Promise<Void>> whenAllWritten = new ArrayList<>();
    /** Set while the file is being closed: readers must wait for the close to finish. */
    Future<Void> closing;
    long failedWrites;
    boolean dirty;

    OpenFile(AsyncFile file, String path) {
      this.file = file;
      this.path = path;
    }

    /** Bytes from the start of the file known to be written. */
    long completeLength() {
      return unfinished.isEmpty() ? file.getWritePos() : unfinished.first();
    }
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
    files.values().forEach(f -> closing.add(f.closing != null ? f.closing
      : allWritten(f).compose(v -> f.file.flush()).compose(v -> f.file.close())));
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
    if (open == null || open.closing != null) {
      message.fail(404, "no open results file for job " + line.jobId());
      return;
    }
    long start = open.file.getWritePos();
    open.unfinished.add(start);
    open.dirty = true;
    open.file.write(Buffer.buffer(line.json()).appendByte((byte) '\n')).onComplete(done -> {
      open.unfinished.remove(start);
      if (done.failed()) {
        open.failedWrites++;
        LOG.log(System.Logger.Level.ERROR, "{0}: result {1} was not written: {2}", open.path, line.seq(),
          done.cause().getMessage());
      }
      if (open.unfinished.isEmpty()) {
        open.whenAllWritten.forEach(Promise::tryComplete);
        open.whenAllWritten.clear();
      }
    });
    if (open.file.writeQueueFull()) {
      open.heldAcks.add(message);
    } else {
      message.reply(null);
    }
  }

  /** Answers at once with the length known whole; a file being closed answers once it is closed. */
  private void onFlush(Message<JsonObject> message) {
    OpenFile open = files.get(message.body().getString("jobId"));
    if (open == null) {
      message.reply(new JsonObject()); // closed (or never opened here): the file is whole
    } else if (open.closing != null) {
      open.closing.onComplete(done -> message.reply(new JsonObject()));
    } else {
      message.reply(new JsonObject().put("length", open.completeLength()));
    }
  }

  private void onClose(Message<JsonObject> message) {
    String jobId = message.body().getString("jobId");
    OpenFile open = files.get(jobId);
    if (open == null || open.closing != null) {
      message.fail(404, "no open results file for job " + jobId);
      return;
    }
    Buffer summary = message.body().getJsonObject("summary").toBuffer().appendByte((byte) '\n');
    open.closing = allWritten(open)
      .compose(v -> open.file.flush())
      .compose(v -> open.file.close())
      .andThen(v -> releaseAcks(open))
      .compose(v -> vertx.fileSystem().writeFile(summaryPath(open.path), summary))
      .andThen(v -> files.remove(jobId));
    open.closing
      .compose(v -> open.failedWrites == 0 ? Future.<Void>succeededFuture()
        : Future.failedFuture(open.failedWrites + " results could not be written"))
      .onSuccess(v -> message.reply(null))
      .onFailure(error -> message.fail(500, "cannot close " + open.path + ": " + error.getMessage()));
  }

  /** {@code data/books/<id>.jsonl} → {@code data/books/<id>.summary.json}. */
  public static String summaryPath(String resultsPath) {
    return resultsPath.replaceFirst("\\.jsonl$", "") + ".summary.json";
  }

  private static Future<Void> allWritten(OpenFile open) {
    if (open.unfinished.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    open.whenAllWritten.add(promise);
    return promise.future();
  }

  private static void releaseAcks(OpenFile open) {
    List<Message<?>> held = new ArrayList<>(open.heldAcks);
    open.heldAcks.clear();
    held.forEach(message -> message.reply(null));
  }

  private void flushDirty() {
    files.values().stream().filter(f -> f.dirty && f.closing == null).forEach(f -> {
      f.dirty = false;
      f.file.flush();
    });
  }
}
