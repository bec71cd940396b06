package dev.trawl.fetch;

import dev.trawl.error.ErrorKind;
import dev.trawl.error.TrawlFailure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

import java.util.ArrayList;
import java.util.List;
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

  /** The bytes of a body: the array itself when the buffer wraps exactly one (as this codec's do), else a copy. */
  static byte[] bytesOf(Buffer body) {
    ByteBuf buf = ((BufferInternal) body).getByteBuf();
    if (buf.hasArray() && buf.arrayOffset() == 0 && buf.readerIndex() == 0 && buf.array().length == buf.readableBytes()) {
      return buf.array();
    }
    return body.getBytes();
  }

  @Override
  public BodyStream<Buffer> stream() {
    return new Stream();
  }

  /**
   * Keeps the chunks as they come and joins them once at the end into an array of the exact size,
   * which the body then wraps: no buffer grows by copying, and {@link #bytesOf} hands the parser
   * that array as it is.
   */
  private final class Stream implements BodyStream<Buffer> {
    private final List<Buffer> chunks = new ArrayList<>(4);
    private long length;
    private final Promise<Buffer> result = Promise.promise();

    @Override
    public Future<Void> write(Buffer data) {
      if (length + data.length() > maxBytes) {
        TrawlFailure tooLarge = new TrawlFailure(ErrorKind.TOO_LARGE, "body larger than fetch.maxBodyBytes=" + maxBytes);
        result.tryFail(tooLarge);
        onTooLarge.accept(maxBytes);
        return Future.failedFuture(tooLarge);
      }
      chunks.add(data);
      length += data.length();
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      byte[] body = new byte[(int) length];
      int at = 0;
      for (Buffer chunk : chunks) {
        chunk.getBytes(0, chunk.length(), body, at);
        at += chunk.length();
      }
      chunks.clear();
      result.tryComplete(BufferInternal.buffer(Unpooled.wrappedBuffer(body)));
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
