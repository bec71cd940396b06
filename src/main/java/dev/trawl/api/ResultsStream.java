package dev.trawl.api;

import dev.trawl.bus.Addresses;
import dev.trawl.sink.ResultsFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Serves {@code GET /jobs/{id}/results}: the job's JSONL file, tailed. The file is the single
 * source of truth, so a slow client costs no memory: results published on the bus only wake the
 * reader up, and the reader reads the next chunk only once the client has taken the last one (it is
 * in the socket's buffer), whatever the size of a line. Results with {@code seq < from} are skipped;
 * the response ends after the job's summary is published and the file is read to its end.
 *
 * <p>Not {@code writeQueueFull()}: in Vert.x 5 it turns only once 16 writes wait behind a full
 * socket, whatever their size (a client that read nothing had 16 lines of 1.5 MiB queued for it).
 */
final class ResultsStream {

  private static final int CHUNK = 64 * 1024;
  /** The coordinator writes {@code seq} within a line's first bytes. */
  private static final int HEAD = 256;
  /** How often a stream of another node's job checks that node is still there. */
  private static final long COORDINATOR_CHECK_MS = 5_000;

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final String jobId;
  private final ResultsFile file;
  private final String jobsGet;
  private final long from;
  private final long stallMs;
  private final io.vertx.core.Promise<Void> ended = io.vertx.core.Promise.promise();
  private MessageConsumer<JsonObject> wakeUps;
  private MessageConsumer<JsonObject> done;
  private long position;
  /** The start of the line being read, held until its {@code seq} is known. */
  private Buffer head = Buffer.buffer();
  private LineFate fate = LineFate.UNDECIDED;
  /** The last write to the client: the next chunk is read once it is done. */
  private Future<Void> lastWrite = Future.succeededFuture();
  private boolean reading;
  private boolean again;
  private boolean jobEnded;
  private boolean closed;
  private long coordinatorCheck = -1;

  /**
   * @param file    the job's results, on this node or on the node coordinating the job
   * @param jobsGet where this node answers {@code trawl.jobs.get}
   * @param stallMs a client that takes nothing for this long, while lines wait for it, is cut off
   */
  ResultsStream(Vertx vertx, HttpServerRequest request, String jobId, ResultsFile file, String jobsGet, long from,
                long stallMs) {
    this.stallMs = stallMs;
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
    this.jobId = jobId;
    this.file = file;
    this.jobsGet = jobsGet;
    this.from = from;
  }

  /** Subscribes first, then reads what is already there, so no result falls in between. */
  Future<Void> start(boolean alreadyEnded) {
    jobEnded = alreadyEnded;
    response.setChunked(true).putHeader("Content-Type", "application/x-ndjson");
    response.closeHandler(v -> close());
    wakeUps = vertx.eventBus().consumer(Addresses.results(jobId), message -> readMore());
    done = vertx.eventBus().consumer(Addresses.done(jobId), message -> {
      jobEnded = true;
      readMore();
    });
    if (!(file instanceof ResultsFile.Local)) {
      // Another node's job: if that node dies, no wake-up or end will ever come.
      coordinatorCheck = vertx.setPeriodic(COORDINATOR_CHECK_MS, id -> checkCoordinator());
    }
    // The job may have ended between the caller's look and these subscriptions: look again.
    return Future.all(wakeUps.completion(), done.completion())
      .compose(v -> vertx.eventBus().<JsonObject>request(jobsGet, new JsonObject().put("id", jobId)))
      .onSuccess(reply -> {
        jobEnded |= reply.body().getString("endedAt") != null;
        if (!closed) {
          response.writeHead(); // the client knows at once that its stream is open (and counted)
        }
        readMore();
      })
      .onFailure(this::fail)
      .mapEmpty();
  }

  private void checkCoordinator() {
    vertx.eventBus().<JsonObject>request(jobsGet, new JsonObject().put("id", jobId)).onSuccess(reply -> {
      if (reply.body().getBoolean("coordinatorGone", false)) {
        fail(new IllegalStateException("the node coordinating job " + jobId + " left the cluster"));
      }
    });
  }

  /** Reads to the current end of the file; a wake-up during a read makes it go round again. */
  private void readMore() {
    if (closed) {
      return;
    }
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    again = false;
    boolean endedBeforeRead = jobEnded;
    readAvailable().compose(v -> endedBeforeRead ? taken() : Future.<Void>succeededFuture()).onComplete(result -> {
        reading = false;
        if (result.failed()) {
          fail(result.cause());
        } else if (endedBeforeRead) {
          finish();
        } else if (again || jobEnded) {
          readMore();
        }
      });
  }

  /** Reads chunk by chunk, each once the client has taken the last, up to what is written whole. */
  private Future<Void> readAvailable() {
    if (closed) {
      return Future.succeededFuture();
    }
    return taken().compose(v -> file.read(position, CHUNK)).compose(chunk -> {
      position += chunk.length();
      emit(chunk);
      return chunk.length() == CHUNK ? readAvailable() : Future.succeededFuture();
    });
  }

  /** Whether the line being read is sent: unknown until its {@code seq} is read. */
  private enum LineFate { UNDECIDED, SENT, SKIPPED }

  /** Sends what {@code chunk} holds of lines with {@code seq >= from}, in one write of at most a chunk. */
  private void emit(Buffer chunk) {
    Buffer out = Buffer.buffer();
    int start = 0;
    while (start < chunk.length()) {
      int end = start;
      while (end < chunk.length() && chunk.getByte(end) != '\n') {
        end++;
      }
      boolean lineEnds = end < chunk.length();
      take(chunk.slice(start, lineEnds ? end + 1 : end), lineEnds, out);
      start = end + 1;
    }
    if (out.length() > 0 && !closed) {
      lastWrite = response.write(out);
    }
  }

  /** One piece of the line being read; a line's start is held only until its {@code seq} is known. */
  private void take(Buffer piece, boolean lineEnds, Buffer out) {
    if (fate == LineFate.UNDECIDED) {
      head.appendBuffer(piece);
      if (lineEnds || head.length() >= HEAD) {
        fate = seqOf(head, 0, head.length()) >= from ? LineFate.SENT : LineFate.SKIPPED;
        if (fate == LineFate.SENT) {
          out.appendBuffer(head);
        }
        head = Buffer.buffer();
      }
    } else if (fate == LineFate.SENT) {
      out.appendBuffer(piece);
    }
    if (lineEnds) {
      fate = LineFate.UNDECIDED;
    }
  }

  /** The {@code seq} of a result line without decoding it: the coordinator writes it near the front. */
  static long seqOf(Buffer data, int start, int end) {
    String front = data.getString(start, Math.min(end, start + HEAD));
    int at = front.indexOf("\"seq\":");
    if (at < 0) {
      return Long.MAX_VALUE;
    }
    long seq = 0;
    for (int i = at + 6; i < front.length() && Character.isDigit(front.charAt(i)); i++) {
      seq = seq * 10 + (front.charAt(i) - '0');
    }
    return seq;
  }

  /** Completes once the last write is done; a client that takes nothing for {@code stallMs} is cut off. */
  private Future<Void> taken() {
    if (closed) {
      return Future.succeededFuture();
    }
    if (lastWrite.isComplete()) {
      return lastWrite;
    }
    io.vertx.core.Promise<Void> taken = io.vertx.core.Promise.promise();
    long stall = vertx.setTimer(stallMs, id -> {
      cutOff();
      taken.tryFail(new IllegalStateException("the client of the results of job " + jobId + " took nothing for "
        + stallMs + " ms"));
    });
    lastWrite.onComplete(written -> {
      vertx.cancelTimer(stall);
      if (written.succeeded()) {
        taken.tryComplete();
      } else {
        taken.tryFail(written.cause());
      }
    });
    return taken.future();
  }

  /** Completes when the stream is over, whichever way. */
  Future<Void> ended() {
    return ended.future();
  }

  private void finish() {
    if (!closed) {
      response.end();
    }
    close();
  }

  /** A reset would wait behind what the client does not take: its connection is closed at once. */
  private void cutOff() {
    if (!closed) {
      Abort.connection(request.connection());
    }
    close();
  }

  private void fail(Throwable error) {
    if (!closed) {
      response.reset();
    }
    close();
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    ended.tryComplete();
    vertx.cancelTimer(coordinatorCheck);
    wakeUps.unregister();
    done.unregister();
    file.close();
  }
}
