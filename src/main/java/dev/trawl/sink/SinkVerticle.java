package dev.trawl.sink;

import dev.trawl.bus.Addresses;
import dev.trawl.config.SinkSettings;
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
 * not block). Lines are batched: one write per 64 KiB or 5 ms, not one system call per result.
 * Back-pressure: a line is acknowledged only while the file's write queue is not full; the rest
 * wait for its drain, and the coordinator stops producing while they wait.
 */
public class SinkVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(SinkVerticle.class.getName());
  /** A batch is written once it holds this much, or {@link #BATCH_MS} after its first line. */
  private static final int BATCH_BYTES = 64 * 1024;
  private static final long BATCH_MS = 5;

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
    /** Lines not handed to the file yet: written together, one system call for many results. */
    Buffer batch = Buffer.buffer();
    long batchTimer = -1;
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
  private SinkSettings settings;
  private long flushTimer;

  @Override
  public Future<?> start() {
    settings = SinkSettings.from(TrawlConfig.from(config()));
    flushTimer = vertx.setPeriodic(settings.flushMs(), id -> flushDirty());
    var bus = vertx.eventBus();
    return Future.all(List.of(
      bus.<JsonObject>localConsumer(Addresses.SINK_OPEN, this::onOpen).completion(),
      bus.<ResultLine>localConsumer(Addresses.SINK_WRITE, this::onWrite).completion(),
      bus.<JsonObject>localConsumer(Addresses.SINK_FLUSH, this::onFlush).completion(),
      bus.<JsonObject>localConsumer(Addresses.SINK_CLOSE, this::onClose).completion(),
      bus.<JsonObject>consumer(Addresses.atNode(Addresses.SINK_READ, settings.nodeId()), this::onRead).completion()));
  }

  /** On a graceful stop every line handed to the sink is written, flushed and closed. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    List<Future<Void>> closing = new ArrayList<>();
    files.values().forEach(f -> closing.add(f.closing != null ? f.closing
      : writeBatch(f).compose(v -> allWritten(f)).compose(v -> f.file.flush()).compose(v -> f.file.close())));
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
    open.batch.appendString(line.json()).appendByte((byte) '\n');
    if (open.batch.length() >= BATCH_BYTES) {
      writeBatch(open);
    } else if (open.batchTimer < 0) {
      open.batchTimer = vertx.setTimer(BATCH_MS, id -> {
        open.batchTimer = -1;
        writeBatch(open);
      });
    }
    if (open.file.writeQueueFull()) {
      open.heldAcks.add(message);
    } else {
      message.reply(null);
    }
  }

  /** Hands the batch to the file; the future completes when that write has. */
  private Future<Void> writeBatch(OpenFile open) {
    if (open.batchTimer >= 0) {
      vertx.cancelTimer(open.batchTimer);
      open.batchTimer = -1;
    }
    if (open.batch.length() == 0) {
      return Future.succeededFuture();
    }
    Buffer lines = open.batch;
    open.batch = Buffer.buffer();
    long start = open.file.getWritePos();
    open.unfinished.add(start);
    open.dirty = true;
    return open.file.write(lines).andThen(done -> {
      open.unfinished.remove(start);
      if (done.failed()) {
        open.failedWrites++;
        LOG.log(System.Logger.Level.ERROR, "{0}: {1} bytes of results were not written: {2}", open.path,
          lines.length(), done.cause().getMessage());
      }
      if (open.unfinished.isEmpty()) {
        open.whenAllWritten.forEach(Promise::tryComplete);
        open.whenAllWritten.clear();
      }
    }).recover(error -> Future.succeededFuture());
  }

  /**
   * Writes out the batch, then answers with the length known whole; a file being closed answers
   * once it is closed.
   */
  private void onFlush(Message<JsonObject> message) {
    OpenFile open = files.get(message.body().getString("jobId"));
    if (open == null) {
      message.reply(new JsonObject()); // closed (or never opened here): the file is whole
    } else if (open.closing != null) {
      open.closing.onComplete(done -> message.reply(new JsonObject()));
    } else {
      writeBatch(open).onComplete(done -> message.reply(new JsonObject().put("length", open.completeLength())));
    }
  }

  /** Another node streams a results file of this node's jobs: one chunk of it, whole lines only. */
  private void onRead(Message<JsonObject> message) {
    JsonObject ask = message.body();
    String path = ask.getString("path", "");
    if (!path.endsWith(".jsonl") || !settings.holds(path)) {
      message.fail(400, "not a results file of this node: " + path);
      return;
    }
    int max = Math.min(ask.getInteger("max", 65_536), 1 << 20);
    ResultsFile file = ResultsFile.local(vertx, ask.getString("jobId"), path);
    file.read(ask.getLong("position", 0L), max)
      .onComplete(read -> file.close())
      .onSuccess(message::reply)
      .onFailure(error -> message.fail(500, "cannot read " + path + ": " + error.getMessage()));
  }

  private void onClose(Message<JsonObject> message) {
    String jobId = message.body().getString("jobId");
    OpenFile open = files.get(jobId);
    if (open == null || open.closing != null) {
      message.fail(404, "no open results file for job " + jobId);
      return;
    }
    Buffer summary = message.body().getJsonObject("summary").toBuffer().appendByte((byte) '\n');
    open.closing = writeBatch(open)
      .compose(v -> allWritten(open))
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
