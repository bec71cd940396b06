package dev.trawl.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Counts the non-blank lines of an open file in one streaming pass from position 0 (run on a
 * worker thread). Reads by position, so the channel's own position is left for nobody to share.
 */
final class LineCounter {

  static final int CHUNK = 1 << 16;

  /** What a count found: the requests (non-blank lines) in the first {@code bytes} bytes. */
  record Count(long requests, long bytes) {
  }

  private LineCounter() {
  }

  static Count count(FileChannel file) throws IOException {
    long lines = 0;
    long position = 0;
    boolean content = false;
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    for (int n = file.read(chunk, position); n >= 0; n = file.read(chunk.clear(), position)) {
      for (int i = 0; i < n; i++) {
        byte b = chunk.get(i);
        if (b == '\n') {
          lines += content ? 1 : 0;
          content = false;
        } else if (b != ' ' && b != '\t' && b != '\r') {
          content = true;
        }
      }
      position += n;
    }
    return new Count(lines + (content ? 1 : 0), position);
  }
}
