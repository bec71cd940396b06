package dev.trawl.fetch;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

import java.util.function.Consumer;

/**
 * A body codec that keeps at most {@code maxBytes} (counted after decompression) and calls
 * {@code onTooLarge} the moment the body grows past it, so the exchange can be cut there.
 */
final class LimitedBody implements BodyCodec<Buffer> {

  private final long maxBytes;
  private final Consumer<Long> onTooLarge;

  LimitedBody(long maxBytes, Consumer<Long> onTooLarge) {
    this.maxBytes = maxBytes;
    this.onTooLarge = onTooLarge;
  }

  @Override
  public BodyStream<Buffer> stream() {
    return new Stream();
  }

  private final class Stream implements BodyStream<Buffer> {
    private final Buffer buffer = Buffer.buffer();
    private final Promise<Buffer> result = Promise.promise();

    @Override
    public Future<Void> write(Buffer data) {
      if (buffer.length() + (long) data.length() > maxBytes) {
        FetchException tooLarge = new FetchException("too_large", "body larger than fetch.maxBodyBytes=" + maxBytes);
        result.tryFail(tooLarge);
        onTooLarge.accept(maxBytes);
        return Future.failedFuture(tooLarge);
      }
      buffer.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      result.tryComplete(buffer);
      return Future.succeededFuture();
    }

    @Override
    public void handle(Throwable cause) {
      result.tryFail(cause);
    }

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
