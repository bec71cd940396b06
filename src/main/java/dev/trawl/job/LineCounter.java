package dev.trawl.job;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Counts the non-blank lines of a file in one streaming pass (run on a worker thread). */
final class LineCounter {

  private LineCounter() {
  }

  static long count(Path file) throws IOException {
    long lines = 0;
    boolean content = false;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      byte[] chunk = new byte[1 << 16];
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        for (int i = 0; i < n; i++) {
          byte b = chunk[i];
          if (b == '\n') {
            lines += content ? 1 : 0;
            content = false;
          } else if (b != ' ' && b != '\t' && b != '\r') {
            content = true;
          }
        }
      }
    }
    return lines + (content ? 1 : 0);
  }
}
