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

  @Test
  void chunksAreJoinedInOrderIntoOneArrayThatTheParserGetsAsIs() {
    BodyStream<Buffer> stream = new LimitedBody(100, max -> { }).stream();
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
    BodyStream<Buffer> stream = new LimitedBody(10, reported::set).stream();
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
}
