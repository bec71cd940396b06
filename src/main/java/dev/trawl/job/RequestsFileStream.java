package dev.trawl.job;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A {@link RequestsFile} as a {@link ReadStream} of 64 KiB chunks, each read on a worker thread
 * and handed over on the job's context: one read at a time, none while paused, so memory holds a
 * chunk at most and the event loop never waits on the disk. {@link #close} waits for a read in
 * flight, then closes the file.
 */
final class RequestsFileStream implements ReadStream<Buffer> {

  static final int CHUNK = 1 << 16;

  private final Context context;
  private final RequestsFile file;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long position;
  private long demand = Long.MAX_VALUE;
  private boolean reading;
  private boolean ended;
  private boolean closed;

  RequestsFileStream(Context context, RequestsFile file) {
    this.context = context;
    this.file = file;
  }

  @Override
  public RequestsFileStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    readMore();
    return this;
  }

  @Override
  public RequestsFileStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public RequestsFileStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public RequestsFileStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public RequestsFileStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public RequestsFileStream fetch(long amount) {
    demand = Long.MAX_VALUE - demand <= amount ? Long.MAX_VALUE : demand + amount;
    readMore();
    return this;
  }

  /** No more chunks; the file is closed once a read in flight has come back. */
  void close() {
    closed = true;
    if (!reading) {
      file.close(context.owner());
    }
  }

  private void readMore() {
    if (reading || ended || closed || demand == 0 || handler == null) {
      return;
    }
    reading = true;
    long at = position;
    // Always on a later turn: a read that finished before onComplete is attached would otherwise
    // be handed over inside the caller's resume(), and RecordParser drops data it gets re-entrantly.
    context.<Buffer>executeBlocking(() -> file.readAt(at, CHUNK), false)
      .onComplete(read -> context.runOnContext(v -> onChunk(read)));
  }

  private void onChunk(AsyncResult<Buffer> read) {
    reading = false;
    if (closed) {
      file.close(context.owner());
    } else if (read.failed()) {
      ended = true;
      if (exceptionHandler != null) {
        exceptionHandler.handle(read.cause());
      }
    } else if (read.result().length() == 0) {
      ended = true;
      if (endHandler != null) {
        endHandler.handle(null);
      }
    } else {
      deliver(read.result());
    }
  }

  private void deliver(Buffer chunk) {
    position += chunk.length();
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    handler.handle(chunk);
    readMore();
  }
}
