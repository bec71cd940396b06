package dev.trawl.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Counts the non-blank lines of an open file in one streaming pass from position 0 (run on a
 * worker thread), as {@link FileSource} reads them: a UTF-8 byte order mark at the start is not
 * content. Reads by position, so the channel's own position is left for nobody to share.
 */
final class LineCounter {

  static final int CHUNK = 1 << 16;
  /** The UTF-8 byte order mark, EF BB BF: some editors write it at the start of a file. */
  static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** What a count found: the requests (non-blank lines) in the first {@code bytes} bytes. */
  record Count(long requests, long bytes) {
  }

  private LineCounter() {
  }

  /** Counts the whole file. */
  static Count count(FileChannel file) throws IOException {
    return count(file, Long.MAX_VALUE - 1);
  }

  /**
   * Counts up to {@code limit} + 1 requests: once a line past the limit starts, the count stops
   * there (a file over the limit is not read to its end; /dev/zero-sized files end quickly).
   */
  static Count count(FileChannel file, long limit) throws IOException {
    long lines = 0;
    long position = 0;
    boolean content = false;
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    for (int n = file.read(chunk, position); n >= 0; n = file.read(chunk.clear(), position)) {
      for (int i = position == 0 ? bomLength(chunk, n) : 0; i < n; i++) {
        byte b = chunk.get(i);
        if (b == '\n') {
          lines += content ? 1 : 0;
          content = false;
        } else if (b != ' ' && b != '\t' && b != '\r' && !content) {
          content = true;
          if (lines >= limit) {
            return new Count(lines + 1, position + i + 1);
          }
        }
      }
      position += n;
    }
    return new Count(lines + (content ? 1 : 0), position);
  }

  /** 3 when the first {@code n} bytes of {@code chunk} start with a {@link #BOM}, else 0. */
  static int bomLength(ByteBuffer chunk, int n) {
    return n >= BOM.length && chunk.get(0) == BOM[0] && chunk.get(1) == BOM[1] && chunk.get(2) == BOM[2] ? BOM.length : 0;
  }
}
