package dev.trawl.api;

import dev.trawl.bus.Addresses;
import dev.trawl.sink.ResultsFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Serves {@code GET /jobs/{id}/results}: the job's JSONL file, tailed. The file is the single
 * source of truth, so a slow client costs no memory: results published on the bus only wake the
 * reader up, and the reader waits on the client's write queue before each chunk. Results with
 * {@code seq < from} are skipped; the response ends after the job's summary is published and the
 * file is read to its end.
 */
final class ResultsStream {

  private static final int CHUNK = 64 * 1024;
  /** How often a stream of another node's job checks that node is still there. */
  private static final long COORDINATOR_CHECK_MS = 5_000;

  private final Vertx vertx;
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
  private Buffer partial = Buffer.buffer();
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
  ResultsStream(Vertx vertx, HttpServerResponse response, String jobId, ResultsFile file, String jobsGet, long from,
                long stallMs) {
    this.stallMs = stallMs;
    this.vertx = vertx;
    this.response = response;
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
    readAvailable().onComplete(result -> {
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

  /** Reads chunk by chunk, each once the client can take it, up to what is written whole. */
  private Future<Void> readAvailable() {
    if (closed) {
      return Future.succeededFuture();
    }
    return writable().compose(v -> file.read(position, CHUNK)).compose(chunk -> {
      position += chunk.length();
      emitCompleteLines(chunk);
      return chunk.length() == CHUNK ? readAvailable() : Future.succeededFuture();
    });
  }

  /** Sends the lines {@code chunk} completes (with {@code seq >= from}); keeps an unfinished one. */
  private void emitCompleteLines(Buffer chunk) {
    Buffer out = Buffer.buffer();
    int start = 0;
    for (int i = 0; i < chunk.length(); i++) {
      if (chunk.getByte(i) != '\n') {
        continue;
      }
      Buffer line = partial.length() == 0 ? chunk.getBuffer(start, i + 1) : partial.appendBuffer(chunk, start, i + 1 - start);
      partial = Buffer.buffer();
      if (seqOf(line, 0, line.length() - 1) >= from) {
        out.appendBuffer(line);
      }
      start = i + 1;
    }
    if (start < chunk.length()) {
      partial.appendBuffer(chunk, start, chunk.length() - start);
    }
    if (out.length() > 0 && !closed) {
      response.write(out);
    }
  }

  /** The {@code seq} of a result line without decoding it: the coordinator writes it near the front. */
  static long seqOf(Buffer data, int start, int end) {
    String head = data.getString(start, Math.min(end, start + 256));
    int at = head.indexOf("\"seq\":");
    if (at < 0) {
      return Long.MAX_VALUE;
    }
    long seq = 0;
    for (int i = at + 6; i < head.length() && Character.isDigit(head.charAt(i)); i++) {
      seq = seq * 10 + (head.charAt(i) - '0');
    }
    return seq;
  }

  /** Completes once the client has taken enough; a client that stops reading is cut off after {@code stallMs}. */
  private Future<Void> writable() {
    if (!response.writeQueueFull() || closed) {
      return Future.succeededFuture();
    }
    io.vertx.core.Promise<Void> drained = io.vertx.core.Promise.promise();
    long stall = vertx.setTimer(stallMs, id -> drained.tryFail(new IllegalStateException(
      "the client of the results of job " + jobId + " took nothing for " + stallMs + " ms")));
    response.drainHandler(v -> {
      vertx.cancelTimer(stall);
      drained.tryComplete();
    });
    return drained.future();
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
