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
import io.vertx.core.file.CopyOptions;
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
 * not block). Lines are batched: one write per 64 KiB or 5 ms, not one system call per result,
 * and one write at a time per file (what arrives meanwhile goes in the next one).
 * A line is acknowledged only once the write holding it has succeeded, so the coordinator's sink
 * window is the back-pressure. When a write fails (a full disk), its lines and every later one
 * are refused with the reason, the file is cut back to the last whole line, and the job's summary
 * says {@code failed} with that reason as its {@code error}.
 *
 * <p>A durable job also has a journal beside its results ({@code <jobId>.journal}: the tries it
 * started, the pages its crawl found). Each batch writes its journal lines first and its results
 * after, so a page a crawl found is on disk before the result of the page it was found on. A job
 * being resumed is opened for appending; a job stopped to be resumed is closed without a summary.
 */
public class SinkVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(SinkVerticle.class.getName());
  /** A batch is written once it holds this much, or {@link #BATCH_MS} after its first line. */
  private static final int BATCH_BYTES = 64 * 1024;
  private static final long BATCH_MS = 5;
  /** The reply code of a line, or a close, refused because the file could not be written. */
  private static final int WRITE_FAILED = 500;

  /** An open results file and its batch; at most one write is in progress on it. */
  private static final class OpenFile {
    final AsyncFile file;
    final String path;
    /** The job's journal, or null when the job is not durable. */
    final AsyncFile journal;
    Buffer journalBatch = Buffer.buffer();
    /** Lines not handed to the file yet, and their messages, answered once written. */
    Buffer batch = Buffer.buffer();
    List<Message<?>> batchAcks = new ArrayList<>();
    long batchTimer = -1;
    /** Start of the write in progress; -1 when none. */
    long writingAt = -1;
    /** Completed when the write after the one in progress is done (flushes and closes wait on it). */
    Promise<Void> nextWrite;
    /** Set while the file is being closed: readers must wait for the close to finish. */
    Future<Void> closing;
    /** Why a write failed, and where the whole lines end; null while every write succeeded. */
    String failure;
    long wholeLength;
    boolean dirty;

    OpenFile(AsyncFile file, String path, AsyncFile journal) {
      this.file = file;
      this.path = path;
      this.journal = journal;
    }

    /** Bytes from the start of the file known to be written, whole lines only. */
    long completeLength() {
      if (failure != null) {
        return wholeLength;
      }
      return writingAt >= 0 ? writingAt : file.getWritePos();
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
      bus.<JsonObject>localConsumer(Addresses.SINK_JOURNAL, this::onJournal).completion(),
      bus.<JsonObject>localConsumer(Addresses.SINK_FLUSH, this::onFlush).completion(),
      bus.<JsonObject>localConsumer(Addresses.SINK_CLOSE, this::onClose).completion(),
      bus.<JsonObject>consumer(Addresses.atNode(Addresses.SINK_READ, settings.nodeId()), this::onRead).completion()));
  }

  /** On a graceful stop every line handed to the sink is written, flushed and closed. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    List<Future<Void>> closing = new ArrayList<>();
    files.values().forEach(f -> closing.add(f.closing != null ? f.closing : closeFiles(f)));
    files.clear();
    return Future.join(closing);
  }

  /**
   * Opens a job's results file, and its journal when given one: new files, or with
   * {@code "resume": true} the files the job left, appended to.
   */
  private void onOpen(Message<JsonObject> message) {
    String jobId = message.body().getString("jobId");
    String path = message.body().getString("path");
    String journalPath = message.body().getString("journal");
    boolean resume = message.body().getBoolean("resume", false);
    Path parent = Path.of(path).toAbsolutePath().getParent();
    vertx.fileSystem().mkdirs(parent.toString())
      .compose(v -> openForWriting(path, resume))
      .compose(file -> journalPath == null ? Future.succeededFuture(new OpenFile(file, path, null))
        : openForWriting(journalPath, resume).map(journal -> new OpenFile(file, path, journal))
          .onFailure(error -> file.close()))
      .onSuccess(open -> {
        files.put(jobId, open);
        message.reply(new JsonObject().put("path", path));
      })
      .onFailure(error -> message.fail(500, "cannot open " + path + ": " + error.getMessage()));
  }

  /** A new, empty file; or, to resume, the file as it is, written on at its end. */
  private Future<AsyncFile> openForWriting(String path, boolean resume) {
    OpenOptions options = new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(!resume);
    if (!resume) {
      return vertx.fileSystem().open(path, options);
    }
    return vertx.fileSystem().open(path, options)
      .compose(file -> vertx.fileSystem().props(path).map(props -> file.setWritePos(props.size())));
  }

  /** Journal lines with no result to go with (tries started, pages a sitemap listed): no reply. */
  private void onJournal(Message<JsonObject> message) {
    OpenFile open = files.get(message.body().getString("jobId"));
    if (open == null || open.journal == null || open.closing != null || open.failure != null) {
      return;
    }
    open.journalBatch.appendString(message.body().getString("lines"));
    scheduleBatch(open);
  }

  private void onWrite(Message<ResultLine> message) {
    ResultLine line = message.body();
    OpenFile open = files.get(line.jobId());
    if (open == null || open.closing != null) {
      message.fail(404, "no open results file for job " + line.jobId());
      return;
    }
    if (open.failure != null) {
      message.fail(WRITE_FAILED, open.failure);
      return;
    }
    if (line.journal() != null && open.journal != null) {
      open.journalBatch.appendString(line.journal());
    }
    open.batch.appendString(line.json()).appendByte((byte) '\n');
    open.batchAcks.add(message);
    scheduleBatch(open);
  }

  private void scheduleBatch(OpenFile open) {
    if (open.batch.length() + open.journalBatch.length() >= BATCH_BYTES) {
      writeBatch(open);
    } else if (open.batchTimer < 0) {
      open.batchTimer = vertx.setTimer(BATCH_MS, id -> {
        open.batchTimer = -1;
        writeBatch(open);
      });
    }
  }

  /**
   * Hands the batch to the file, or, while a write is in progress, leaves it for the next one.
   * The future completes once every line given so far is written or refused; it never fails.
   */
  private Future<Void> writeBatch(OpenFile open) {
    if (open.batchTimer >= 0) {
      vertx.cancelTimer(open.batchTimer);
      open.batchTimer = -1;
    }
    if (open.writingAt >= 0) {
      if (open.nextWrite == null) {
        open.nextWrite = Promise.promise();
      }
      return open.nextWrite.future();
    }
    if (open.batch.length() == 0 && open.journalBatch.length() == 0) {
      return Future.succeededFuture();
    }
    Buffer lines = open.batch;
    Buffer journalLines = open.journalBatch;
    List<Message<?>> acks = open.batchAcks;
    open.batch = Buffer.buffer();
    open.journalBatch = Buffer.buffer();
    open.batchAcks = new ArrayList<>();
    open.writingAt = open.file.getWritePos();
    open.dirty = true;
    Future<Void> journaled = journalLines.length() == 0 ? Future.succeededFuture() : open.journal.write(journalLines);
    return journaled.compose(v -> lines.length() == 0 ? Future.<Void>succeededFuture() : open.file.write(lines))
      .transform(done -> {
      onWritten(open, lines.length(), acks, done.cause());
      return Future.succeededFuture();
    });
  }

  /** One write is over: answers its lines, then starts the next write with what came meanwhile. */
  private void onWritten(OpenFile open, int bytes, List<Message<?>> acks, Throwable error) {
    long start = open.writingAt;
    open.writingAt = -1;
    if (error != null) {
      LOG.log(System.Logger.Level.ERROR, "{0}: {1} bytes of results were not written", open.path, bytes);
      failed(open, start, error);
    }
    if (open.failure == null) {
      acks.forEach(message -> message.reply(null));
    } else {
      acks.forEach(message -> message.fail(WRITE_FAILED, open.failure));
      open.batchAcks.forEach(message -> message.fail(WRITE_FAILED, open.failure));
      open.batchAcks.clear();
      open.batch = Buffer.buffer();
      open.journalBatch = Buffer.buffer();
    }
    Promise<Void> next = open.nextWrite;
    open.nextWrite = null;
    if (next != null) {
      writeBatch(open).onComplete(next);
    }
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

  /**
   * Writes out the batch, closes the file, then writes the summary. A file that could not be
   * written whole is cut back to its last whole line, and its summary says {@code failed} with
   * the reason; the close is then refused with that reason, which the coordinator adopts.
   */
  private void onClose(Message<JsonObject> message) {
    String jobId = message.body().getString("jobId");
    OpenFile open = files.get(jobId);
    if (open == null || open.closing != null) {
      message.fail(404, "no open results file for job " + jobId);
      return;
    }
    JsonObject summary = message.body().getJsonObject("summary");
    Future<Void> closed = closeFiles(open).compose(v -> cutToWholeLines(open));
    // Without a summary the job was stopped to be resumed: its files stay as they are.
    open.closing = (summary == null ? closed
      : closed.compose(v -> writeSummary(summaryPath(open.path), summaryBytes(open, summary))))
      .andThen(v -> files.remove(jobId));
    open.closing
      .onSuccess(v -> {
        if (open.failure == null) {
          message.reply(null);
        } else {
          message.fail(WRITE_FAILED, open.failure);
        }
      })
      .onFailure(error -> message.fail(WRITE_FAILED, "cannot close " + open.path + ": " + error.getMessage()));
  }

  /** Writes out the batch, flushes and closes the results file and the journal; never fails. */
  private Future<Void> closeFiles(OpenFile open) {
    Future<Void> results = writeBatch(open)
      .compose(v -> open.file.flush().recover(error -> failed(open, open.completeLength(), error)))
      .compose(v -> open.file.close().recover(error -> failed(open, open.completeLength(), error)));
    return open.journal == null ? results
      : results.compose(v -> open.journal.close().recover(error -> Future.succeededFuture()));
  }

  /**
   * Written beside, then renamed: the summary is there whole or not at all, even after a kill, for
   * it is what says a job has ended when the node starts again.
   */
  private Future<Void> writeSummary(String path, Buffer summary) {
    String temporary = path + ".tmp";
    return vertx.fileSystem().writeFile(temporary, summary)
      .compose(v -> vertx.fileSystem().move(temporary, path, new CopyOptions().setReplaceExisting(true).setAtomicMove(true)));
  }

  /** The first failure of a file is its reason; the lines before {@code wholeLength} are written. */
  private static Future<Void> failed(OpenFile open, long wholeLength, Throwable error) {
    if (open.failure == null) {
      open.failure = "results could not be written to " + open.path + ": " + error.getMessage();
      open.wholeLength = wholeLength;
      LOG.log(System.Logger.Level.ERROR, open.failure);
    }
    return Future.succeededFuture();
  }

  /** A failed write may have left part of its bytes: the file keeps only the lines before it. */
  private Future<Void> cutToWholeLines(OpenFile open) {
    if (open.failure == null) {
      return Future.succeededFuture();
    }
    // A results path that is a device (or a full disk refusing even this) cannot be cut: the
    // failure is reported either way.
    return vertx.fileSystem().truncate(open.path, open.wholeLength).recover(error -> Future.succeededFuture());
  }

  private static Buffer summaryBytes(OpenFile open, JsonObject summary) {
    JsonObject written = open.failure == null ? summary
      : summary.copy().put("state", "failed").put("error", open.failure); // JobState.FAILED's wire name
    return written.toBuffer().appendByte((byte) '\n');
  }

  /** {@code data/books/<id>.jsonl} → {@code data/books/<id>.summary.json}. */
  public static String summaryPath(String resultsPath) {
    return resultsPath.replaceFirst("\\.jsonl$", "") + ".summary.json";
  }

  private void flushDirty() {
    files.values().stream().filter(f -> f.dirty && f.closing == null).forEach(f -> {
      f.dirty = false;
      f.file.flush();
      if (f.journal != null) {
        f.journal.flush();
      }
    });
  }
}
