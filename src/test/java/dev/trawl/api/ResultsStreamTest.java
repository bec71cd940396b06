package dev.trawl.api;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResultsStreamTest {

  @Test
  void readsTheSeqNearTheFrontOfALineWithoutDecodingIt() {
    Buffer data = Buffer.buffer("{\"jobId\":\"j\",\"seq\":1234,\"index\":9}\n{\"jobId\":\"j\",\"seq\":0}\n");
    int firstEnd = data.toString().indexOf('\n');
    assertEquals(1234, ResultsStream.seqOf(data, 0, firstEnd));
    assertEquals(0, ResultsStream.seqOf(data, firstEnd + 1, data.length() - 1));
  }
}
