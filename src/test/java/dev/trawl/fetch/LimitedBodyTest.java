package dev.trawl.fetch;

import dev.trawl.error.TrawlFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.codec.spi.BodyStream;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitedBodyTest {

  /** A reader that remembers the limit it was told of. */
  private static LimitedBody.Reader reporting(AtomicLong reported) {
    return new LimitedBody.Reader() {
      @Override public void read() { }
      @Override public void tooLarge(long maxBytes) { reported.set(maxBytes); }
      @Override public void ended() { }
    };
  }

  @Test
  void chunksAreJoinedInOrderIntoOneArrayThatTheParserGetsAsIs() {
    BodyStream<Buffer> stream = new LimitedBody(100, reporting(new AtomicLong())).stream();
    stream.write(Buffer.buffer("<html>"));
    stream.write(Buffer.buffer("<h1>Tea</h1>"));
    stream.write(Buffer.buffer("</html>"));
    stream.end();

    Buffer body = stream.result().result();
    assertEquals("<html><h1>Tea</h1></html>", body.toString());
    byte[] bytes = LimitedBody.bytesOf(body);
    assertSame(bytes, LimitedBody.bytesOf(body), "the joined array itself, not a copy per call");
    assertArrayEquals("<html><h1>Tea</h1></html>".getBytes(), bytes);
  }

  @Test
  void aBodyOverTheLimitFailsAtTheChunkThatCrossesIt() {
    AtomicLong reported = new AtomicLong();
    BodyStream<Buffer> stream = new LimitedBody(10, reporting(reported)).stream();
    assertTrue(stream.write(Buffer.buffer("12345")).succeeded());
    assertTrue(stream.write(Buffer.buffer("678901")).failed());
    assertEquals(10, reported.get());
    assertEquals("too_large", ((TrawlFailure) stream.result().cause()).kind().wire());
  }

  @Test
  void anyOtherBufferIsCopied() {
    Buffer other = Buffer.buffer(64).appendString("abc");
    assertArrayEquals("abc".getBytes(), LimitedBody.bytesOf(other));
  }

  @Test
  void aGzipBodyIsDecodedAndCountedAfterDecoding() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out)) {
      gzip.write(new byte[5000]);
    }
    AtomicLong reported = new AtomicLong();
    LimitedBody codec = new LimitedBody(4096, reporting(reported));
    codec.decodeFrom(Inflation.Coding.GZIP);
    BodyStream<Buffer> stream = codec.stream();
    assertTrue(stream.write(Buffer.buffer(out.toByteArray())).failed(), "5000 decoded bytes pass a 4096 limit");
    assertEquals(4096, reported.get());
  }
}
