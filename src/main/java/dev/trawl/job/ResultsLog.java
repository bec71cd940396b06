package dev.trawl.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * A results file read back to resume its job: which requests already have their line, how they
 * ended, and what decided the mode. The file is the log of completions: a line is there only once
 * the sink wrote it whole. A line cut short by a crash (the last one, without its newline) is cut
 * off the file, and its request is fetched again. Blocking: run on a worker.
 */
final class ResultsLog {

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * What a results file holds.
   *
   * @param done      the indexes with a line
   * @param lines     how many lines (the next result's {@code seq})
   * @param firstOk   the brief of the first {@code ok} line (mode {@code any}'s winner), or null
   * @param first     the brief of the first line (mode {@code first}'s winner), or null
   * @param firstError the brief with error of the first failure that is not a cancel (mode {@code all}), or null
   */
  record Progress(BitSet done, long lines, long ok, long failed, long cancelled, JsonObject firstOk, JsonObject first,
                  JsonObject firstError) {

    static Progress none() {
      return new Progress(new BitSet(), 0, 0, 0, 0, null, null, null);
    }
  }

  private ResultsLog() {
  }

  /** Reads {@code path} (none yet: nothing done), cutting off a last line left incomplete. */
  static Progress read(Path path) throws IOException {
    if (!Files.exists(path)) {
      return Progress.none();
    }
    long whole = cutToWholeLines(path);
    Reader reader = new Reader();
    long damagedAt = -1;
    try (InputStream in = Files.newInputStream(path)) {
      damagedAt = new Lines(in, whole).forEach(reader::take);
    }
    if (damagedAt >= 0) {
      // Not a result line (a damaged file): it and what follows are done again.
      truncate(path, damagedAt);
    }
    return reader.progress();
  }

  /** What takes each line: false when the line is not a result line. */
  private interface LineTaker {
    boolean take(byte[] bytes, int offset, int length);
  }

  /** The whole lines of a stream, read 64 KiB at a time; a line longer than that is gathered. */
  private static final class Lines {
    private final InputStream in;
    private final long whole;

    Lines(InputStream in, long whole) {
      this.in = in;
      this.whole = whole;
    }

    /** Gives each line to {@code taker}; returns where the first line it refused starts, or -1. */
    long forEach(LineTaker taker) throws IOException {
      byte[] chunk = new byte[1 << 16];
      java.io.ByteArrayOutputStream longLine = new java.io.ByteArrayOutputStream();
      long position = 0;
      long lineStart = 0;
      for (int read = in.read(chunk); read > 0 && position < whole; read = in.read(chunk)) {
        int start = 0;
        for (int i = 0; i < read; i++) {
          if (chunk[i] != '\n') {
            continue;
          }
          boolean taken;
          if (longLine.size() == 0) {
            taken = taker.take(chunk, start, i - start);
          } else {
            longLine.write(chunk, start, i - start);
            byte[] line = longLine.toByteArray();
            longLine.reset();
            taken = taker.take(line, 0, line.length);
          }
          if (!taken) {
            return lineStart;
          }
          lineStart = position + i + 1;
          start = i + 1;
        }
        longLine.write(chunk, start, read - start);
        position += read;
      }
      return -1;
    }
  }

  /** Cuts the file after its last newline; returns its new length. */
  static long cutToWholeLines(Path path) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      long end = file.length();
      byte[] chunk = new byte[1 << 16];
      long at = end;
      while (at > 0) {
        int length = (int) Math.min(chunk.length, at);
        at -= length;
        file.seek(at);
        file.readFully(chunk, 0, length);
        for (int i = length - 1; i >= 0; i--) {
          if (chunk[i] == '\n') {
            long whole = at + i + 1;
            if (whole < end) {
              file.setLength(whole);
            }
            return whole;
          }
        }
      }
      file.setLength(0);
      return 0;
    }
  }

  private static void truncate(Path path, long length) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(length);
    }
  }

  /** Counts lines, reading of each only the fields it needs (bodies and data are skipped). */
  private static final class Reader {
    private final BitSet done = new BitSet();
    private long lines;
    private long ok;
    private long failed;
    private long cancelled;
    private JsonObject firstOk;
    private JsonObject first;
    private JsonObject firstError;

    boolean take(byte[] bytes, int offset, int length) {
      Line parsed;
      try {
        parsed = parse(bytes, offset, length);
      } catch (IOException | RuntimeException e) {
        return false;
      }
      if (parsed.index < 0 || parsed.ok == null) {
        return false;
      }
      done.set((int) parsed.index);
      JsonObject brief = new JsonObject().put("seq", lines).put("index", parsed.index).put("url", parsed.url)
        .put("status", parsed.status);
      if (parsed.ok) {
        ok++;
        firstOk = firstOk == null ? brief : firstOk;
      } else if ("cancelled".equals(parsed.kind)) {
        cancelled++;
      } else {
        failed++;
        if (firstError == null) {
          firstError = brief.copy().put("error", new JsonObject().put("kind", parsed.kind).put("message", parsed.message));
        }
      }
      first = first == null ? brief : first;
      lines++;
      return true;
    }

    Progress progress() {
      return new Progress(done, lines, ok, failed, cancelled, firstOk, first, firstError);
    }
  }

  private static final class Line {
    long index = -1;
    Boolean ok;
    String url;
    Integer status;
    String kind;
    String message;
  }

  private static Line parse(byte[] bytes, int offset, int length) throws IOException {
    Line line = new Line();
    try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return line;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "index" -> line.index = parser.getLongValue();
          case "ok" -> line.ok = value == JsonToken.VALUE_TRUE;
          case "url" -> line.url = parser.getValueAsString();
          case "status" -> line.status = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : null;
          case "error" -> readError(parser, line, value);
          default -> parser.skipChildren();
        }
      }
    }
    return line;
  }

  private static void readError(JsonParser parser, Line line, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      return;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "kind" -> line.kind = parser.getValueAsString();
        case "message" -> line.message = parser.getValueAsString();
        default -> parser.skipChildren();
      }
    }
  }
}
