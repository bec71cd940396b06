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
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;

/**
 * A body codec that decodes gzip and deflate itself (see {@link Inflation}), keeps at most
 * {@code maxBytes} (counted after decoding) and tells its {@link Reader} of every read, so that
 * silence can be timed, and of the moment the body grows past the limit, so the exchange can be cut
 * there. One per HTTP request; its coding is set from the response's headers before the body comes.
 */
final class LimitedBody implements BodyCodec<Buffer> {

  /** Who hears of the body as it is read. */
  interface Reader {
    /** Some bytes arrived (the silence timer starts again). */
    void read();

    /** The body passed {@code maxBytes}; it is refused. */
    void tooLarge(long maxBytes);

    /** The body ended, or failed: no more reads will come. */
    void ended();
  }

  private final long maxBytes;
  private final Reader reader;
  private Inflation.Coding coding = Inflation.Coding.IDENTITY;

  LimitedBody(long maxBytes, Reader reader) {
    this.maxBytes = maxBytes;
    this.reader = reader;
  }

  /** The response's {@code Content-Encoding}, which the body is decoded from. */
  void decodeFrom(Inflation.Coding coding) {
    this.coding = coding;
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
    return new Stream(coding == Inflation.Coding.IDENTITY ? null : new Inflation(coding));
  }

  /**
   * Keeps the chunks as they come and joins them once at the end into an array of the exact size,
   * which the body then wraps: no buffer grows by copying, and {@link #bytesOf} hands the parser
   * that array as it is.
   */
  private final class Stream implements BodyStream<Buffer> {
    private final List<Buffer> chunks = new ArrayList<>(4);
    private final Inflation inflation;
    private long length;
    private final Promise<Buffer> result = Promise.promise();

    Stream(Inflation inflation) {
      this.inflation = inflation;
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (result.future().isComplete()) {
        return result.future().mapEmpty();
      }
      reader.read();
      if (inflation == null) {
        return keep(data) ? Future.succeededFuture() : result.future().mapEmpty();
      }
      try {
        inflation.feed(((BufferInternal) data).getByteBuf().nioBuffer(), this::keepDecoded);
      } catch (DataFormatException e) {
        fail(new TrawlFailure(ErrorKind.PARSE, "the body is not valid " + coding.name().toLowerCase(java.util.Locale.ROOT)
          + " (Content-Encoding): " + e.getMessage()));
      }
      return result.future().failed() ? result.future().mapEmpty() : Future.succeededFuture();
    }

    private boolean keepDecoded(byte[] window, int n) {
      return keep(Buffer.buffer(Arrays.copyOf(window, n)));
    }

    /** Keeps {@code data}, or refuses the body when it would pass the limit. */
    private boolean keep(Buffer data) {
      if (length + data.length() > maxBytes) {
        fail(new TrawlFailure(ErrorKind.TOO_LARGE, "body larger than fetch.maxBodyBytes=" + maxBytes));
        reader.tooLarge(maxBytes);
        return false;
      }
      chunks.add(data);
      length += data.length();
      return true;
    }

    private void fail(Throwable cause) {
      chunks.clear();
      if (inflation != null) {
        inflation.close();
      }
      result.tryFail(cause);
      reader.ended();
    }

    @Override
    public Future<Void> end() {
      if (result.future().isComplete()) {
        return Future.succeededFuture();
      }
      if (inflation != null) {
        inflation.close();
      }
      reader.ended();
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
      if (!result.future().isComplete()) {
        fail(cause);
      }
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
