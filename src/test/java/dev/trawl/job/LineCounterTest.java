package dev.trawl.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LineCounterTest {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "\"{0}\": {1} requests in {2} bytes")
  @CsvSource(delimiter = '|', value = {
    "a\\n\\n  \\nb\\r\\nc | 3 | 10",
    "a\\nb\\n         | 2 | 4",
    "''              | 0 | 0"})
  void countsNonBlankLinesWithOrWithoutAFinalNewline(String escaped, long requests, long bytes) throws IOException {
    Path file = Files.writeString(dir.resolve("urls"), escaped.replace("\\n", "\n").replace("\\r", "\r"));
    try (FileChannel channel = FileChannel.open(file)) {
      assertEquals(new LineCounter.Count(requests, bytes), LineCounter.count(channel));
    }
  }

  @ParameterizedTest(name = "\"{0}\": {1} requests in {2} bytes")
  @CsvSource(delimiter = '|', value = {
    "BOMa\\nb     | 2 | 6",
    "BOM\\n  \\n | 0 | 7",
    "BOM         | 0 | 3",
    "aBOM\\n      | 1 | 5"})
  void aByteOrderMarkIsNotContentOnlyAtTheStart(String escaped, long requests, long bytes) throws IOException {
    // the CSV reader itself drops a real byte order mark at the start of a row
    countsNonBlankLinesWithOrWithoutAFinalNewline(escaped.replace("BOM", "\uFEFF"), requests, bytes);
  }

  @Test
  void stopsAtTheFirstRequestPastTheLimit() throws IOException {
    Path file = Files.writeString(dir.resolve("over"), "a\n\nb\nc\nd\n");
    try (FileChannel channel = FileChannel.open(file)) {
      assertEquals(new LineCounter.Count(3, 6), LineCounter.count(channel, 2));
      assertEquals(new LineCounter.Count(4, 9), LineCounter.count(channel, 4));
    }
  }

  @Test
  void countsAcrossChunksFromPositionZeroWhateverTheChannelPosition() throws IOException {
    Path file = Files.writeString(dir.resolve("long"), "http://a.example/x\n".repeat(10_000));
    try (FileChannel channel = FileChannel.open(file)) {
      channel.position(1000);
      assertEquals(new LineCounter.Count(10_000, 190_000), LineCounter.count(channel));
    }
  }
}
