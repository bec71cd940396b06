package dev.trawl.job;

import dev.trawl.config.Timeouts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A {@code requestsFile} read lazily through {@link AsyncFile}: at most {@link #HIGH_WATER} parsed
 * lines wait in memory; the file is paused above it and resumed below {@link #LOW_WATER}, so a
 * file of millions of lines costs the same memory as one of ten. Index = 0-based line number;
 * blank lines are not requests.
 */
final class FileSource implements RequestSource {

  static final int HIGH_WATER = 512;
  /** A line longer than this is not a request; it fails the source rather than filling memory. */
  static final int MAX_LINE_BYTES = 1 << 20;
  static final int LOW_WATER = 128;

  private final AsyncFile file;
  private final RecordParser lines;
  private final Timeouts timeouts;
  private final ArrayDeque<RequestSpec> ready = new ArrayDeque<>();
  private long lineNumber;
  private boolean ended;
  private boolean paused;
  private Runnable listener = () -> { };
  private java.util.function.Consumer<Throwable> errorListener = e -> { };

  private FileSource(AsyncFile file, Timeouts timeouts) {
    this.file = file;
    this.timeouts = timeouts;
    this.lines = RecordParser.newDelimited("\n", file);
    lines.handler(this::onLine);
    lines.endHandler(v -> onEnd());
    lines.maxRecordSize(MAX_LINE_BYTES);
    lines.exceptionHandler(this::onFailure);
  }

  static Future<RequestSource> open(Vertx vertx, String path, Timeouts timeouts) {
    return vertx.fileSystem().open(path, new OpenOptions().setRead(true).setWrite(false).setCreate(false))
      .map(file -> new FileSource(file, timeouts));
  }

  private void onLine(Buffer line) {
    long index = lineNumber++;
    if (!blank(line)) {
      ready.add(RequestSpec.ofLine(index, line.toString(StandardCharsets.UTF_8), timeouts));
    }
    if (ready.size() >= HIGH_WATER && !paused) {
      paused = true;
      lines.pause();
    }
    listener.run();
  }

  private void onFailure(Throwable error) {
    ended = true;
    errorListener.accept(error);
  }

  /** Blank as {@link LineCounter} counts it: only spaces, tabs and a CR. */
  private static boolean blank(Buffer line) {
    for (int i = 0; i < line.length(); i++) {
      byte b = line.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private void onEnd() {
    ended = true;
    listener.run();
  }

  @Override
  public RequestSpec poll() {
    RequestSpec next = ready.poll();
    if (paused && ready.size() <= LOW_WATER) {
      paused = false;
      lines.resume();
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
  public void onError(java.util.function.Consumer<Throwable> listener) {
    this.errorListener = listener;
  }

  @Override
  public void close() {
    file.close();
  }
}
