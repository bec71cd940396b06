package dev.trawl.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LineCounterTest {

  @Test
  void countsNonBlankLinesWithOrWithoutAFinalNewline(@TempDir Path dir) throws Exception {
    assertEquals(3, LineCounter.count(Files.writeString(dir.resolve("a"), "a\n\n  \nb\r\nc")));
    assertEquals(2, LineCounter.count(Files.writeString(dir.resolve("b"), "a\nb\n")));
    assertEquals(0, LineCounter.count(Files.writeString(dir.resolve("c"), "")));
  }
}
