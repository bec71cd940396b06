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
  static final int LOW_WATER = 128;

  private final AsyncFile file;
  private final RecordParser lines;
  private final Timeouts timeouts;
  private final ArrayDeque<RequestSpec> ready = new ArrayDeque<>();
  private long lineNumber;
  private boolean ended;
  private boolean paused;
  private Runnable listener = () -> { };

  private FileSource(AsyncFile file, Timeouts timeouts) {
    this.file = file;
    this.timeouts = timeouts;
    this.lines = RecordParser.newDelimited("\n", file);
    lines.handler(this::onLine);
    lines.endHandler(v -> onEnd());
    lines.exceptionHandler(e -> onEnd());
  }

  static Future<RequestSource> open(Vertx vertx, String path, Timeouts timeouts) {
    return vertx.fileSystem().open(path, new OpenOptions().setRead(true).setWrite(false).setCreate(false))
      .map(file -> new FileSource(file, timeouts));
  }

  private void onLine(Buffer line) {
    long index = lineNumber++;
    String text = line.toString(StandardCharsets.UTF_8).strip();
    if (!text.isEmpty()) {
      ready.add(RequestSpec.ofLine(index, text, timeouts));
    }
    if (ready.size() >= HIGH_WATER && !paused) {
      paused = true;
      lines.pause();
    }
    listener.run();
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
  public void close() {
    file.close();
  }
}
