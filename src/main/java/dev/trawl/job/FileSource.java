package dev.trawl.job;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A {@code requestsFile} read lazily through the handle {@link Admission} opened at submit (a
 * {@link RequestsFileStream}, 64 KiB a read on a worker thread), split into lines here: at most
 * {@link #HIGH_WATER} parsed lines wait in memory; splitting stops above it, and so does the
 * file, until the job has taken them down to {@link #LOW_WATER}. A file of millions of lines
 * costs the same memory as one of ten. Index = 0-based line number; blank lines are not requests
 * (as {@link LineCounter} counts them); a UTF-8 byte order mark at the start is skipped; a line
 * over {@link #MAX_LINE_BYTES} is that line's {@code invalid_request}, its rest skipped unread.
 */
final class FileSource implements RequestSource {

  static final int HIGH_WATER = 512;
  /** A line longer than this is not a request: it ends as its line's invalid_request. */
  static final int MAX_LINE_BYTES = 1 << 20;
  static final int LOW_WATER = 128;

  private final RequestsFileStream file;
  private final RequestSpec.Defaults defaults;
  private final ArrayDeque<RequestSpec> ready = new ArrayDeque<>();
  /** The line being read: its bytes up to the limit, whether it has content, whether it is over. */
  private Buffer line = Buffer.buffer();
  private boolean content;
  private boolean tooLong;
  private long lineNumber;
  /** The chunk being split and how far; null when the next one is wanted. */
  private Buffer chunk;
  private int at;
  private boolean atStart = true;
  private boolean ended;
  private Runnable listener = () -> { };
  private Consumer<Throwable> errorListener = e -> { };

  /** Reads {@code file} from its start, on {@code context} (the job's coordinator). */
  FileSource(Context context, RequestsFile file, RequestSpec.Defaults defaults) {
    this.file = new RequestsFileStream(context, file);
    this.defaults = defaults;
    this.file.endHandler(v -> onFileEnd());
    this.file.exceptionHandler(this::onFailure);
    this.file.handler(this::onChunk);
  }

  private void onChunk(Buffer read) {
    file.pause();
    chunk = read;
    at = atStart && startsWithBom(read) ? LineCounter.BOM.length : 0;
    atStart = false;
    split();
  }

  /** Splits the chunk in hand into lines while fewer than {@link #HIGH_WATER} wait; then asks for the next. */
  private void split() {
    int before = ready.size();
    while (chunk != null && ready.size() < HIGH_WATER) {
      int newline = indexOfNewline(chunk, at);
      take(chunk, at, newline < 0 ? chunk.length() : newline);
      if (newline < 0) {
        chunk = null;
        file.resume();
      } else {
        at = newline + 1;
        endLine();
      }
    }
    if (ready.size() > before) {
      listener.run();
    }
  }

  private static int indexOfNewline(Buffer buffer, int from) {
    for (int i = from; i < buffer.length(); i++) {
      if (buffer.getByte(i) == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Adds bytes [from, to) of {@code buffer} to the line; those past {@link #MAX_LINE_BYTES} are only looked at. */
  private void take(Buffer buffer, int from, int to) {
    for (int i = from; i < to && !content; i++) {
      byte b = buffer.getByte(i);
      content = b != ' ' && b != '\t' && b != '\r';
    }
    int room = MAX_LINE_BYTES - line.length();
    if (to - from > room) {
      tooLong = true;
    }
    if (room > 0) {
      line.appendBuffer(buffer, from, Math.min(room, to - from));
    }
  }

  private void endLine() {
    long index = lineNumber++;
    if (content) {
      ready.add(tooLong ? RequestSpec.tooLong(index, MAX_LINE_BYTES)
        : RequestSpec.ofLine(index, line.toString(StandardCharsets.UTF_8), defaults));
    }
    line = Buffer.buffer();
    content = false;
    tooLong = false;
  }

  private static boolean startsWithBom(Buffer buffer) {
    return buffer.length() >= 3 && buffer.getByte(0) == LineCounter.BOM[0] && buffer.getByte(1) == LineCounter.BOM[1]
      && buffer.getByte(2) == LineCounter.BOM[2];
  }

  private void onFailure(Throwable error) {
    ended = true;
    errorListener.accept(error);
  }

  private void onFileEnd() {
    endLine(); // the last line, without its newline (blank when the file ended with one)
    ended = true;
    listener.run();
  }

  @Override
  public RequestSpec poll() {
    RequestSpec next = ready.poll();
    if (chunk != null && ready.size() <= LOW_WATER) {
      split();
    }
    return next;
  }

  @Override
  public boolean exhausted() {
    return ended && ready.isEmpty();
  }

  @Override
  public void onReady(Runnable listener) {
    this.listener = listener;
  }

  @Override
  public void onError(Consumer<Throwable> listener) {
    this.errorListener = listener;
  }

  @Override
  public void close() {
    file.close();
  }
}
