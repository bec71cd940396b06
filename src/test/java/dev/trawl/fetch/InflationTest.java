package dev.trawl.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InflationTest {

  private static final byte[] PAGE = "<html><h1>Tea, decoded</h1></html>".repeat(200).getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @CsvSource({"gzip, GZIP", "x-gzip, GZIP", "deflate, DEFLATE", "identity, IDENTITY", "'', IDENTITY", "GZip , GZIP"})
  void decodedCodings(String header, Inflation.Coding coding) {
    assertEquals(coding, Inflation.codingOf(header));
  }

  @ParameterizedTest
  @CsvSource({"br", "'gzip, gzip'", "zstd", "compress"})
  void undecodableCodings(String header) {
    assertNull(Inflation.codingOf(header));
  }

  @Test
  void gzipWithANameIsDecodedWhenItComesOneByteAtATime() throws Exception {
    byte[] gzip = gzip(PAGE);
    gzip[3] = 8; // FNAME: splice a file name after the 10-byte header
    byte[] named = new byte[gzip.length + 6];
    System.arraycopy(gzip, 0, named, 0, 10);
    System.arraycopy("a.htm\0".getBytes(StandardCharsets.US_ASCII), 0, named, 10, 6);
    System.arraycopy(gzip, 10, named, 16, gzip.length - 10);
    assertArrayEquals(PAGE, decode(Inflation.Coding.GZIP, named, 1));
  }

  @Test
  void deflateIsDecodedAsZlibOrRaw() throws Exception {
    assertArrayEquals(PAGE, decode(Inflation.Coding.DEFLATE, deflate(PAGE, false), 100));
    assertArrayEquals(PAGE, decode(Inflation.Coding.DEFLATE, deflate(PAGE, true), 100));
  }

  @Test
  void aBombStopsAtTheFirstWindowTheSinkRefuses() throws Exception {
    byte[] bomb = gzip(new byte[64 << 20]);
    long[] seen = {0};
    Inflation inflation = new Inflation(Inflation.Coding.GZIP);
    boolean more = inflation.feed(ByteBuffer.wrap(bomb), (bytes, n) -> (seen[0] += n) <= 1 << 20);
    inflation.close();
    assertFalse(more);
    assertTrue(seen[0] <= (1 << 20) + 64 * 1024, "inflated " + seen[0] + " bytes for a 1 MiB limit");
  }

  @Test
  void garbageIsNotGzip() {
    Inflation inflation = new Inflation(Inflation.Coding.GZIP);
    assertThrows(DataFormatException.class,
      () -> inflation.feed(ByteBuffer.wrap("<html>not gzip</html>".getBytes(StandardCharsets.US_ASCII)), (b, n) -> true));
  }

  private static byte[] decode(Inflation.Coding coding, byte[] encoded, int chunk) throws DataFormatException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Inflation inflation = new Inflation(coding);
    for (int at = 0; at < encoded.length; at += chunk) {
      inflation.feed(ByteBuffer.wrap(encoded, at, Math.min(chunk, encoded.length - at)), (bytes, n) -> {
        out.write(bytes, 0, n);
        return true;
      });
    }
    inflation.close();
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] data, boolean raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
      deflate.write(data);
    }
    return out.toByteArray();
  }
}
