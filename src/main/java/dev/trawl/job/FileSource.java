package dev.trawl.job;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A {@code requestsFile} read lazily through the handle {@link Admission} opened at submit (a
 * {@link RequestsFileStream}, 64 KiB a read on a worker thread): at most {@link #HIGH_WATER}
 * parsed lines wait in memory; the file is paused above it and resumed below {@link #LOW_WATER},
 * so a file of millions of lines costs the same memory as one of ten. Index = 0-based line number;
 * blank lines are not requests.
 */
final class FileSource implements RequestSource {

  static final int HIGH_WATER = 512;
  /** A line longer than this is not a request; it fails the source rather than filling memory. */
  static final int MAX_LINE_BYTES = 1 << 20;
  static final int LOW_WATER = 128;

  private final RequestsFileStream file;
  private final RecordParser lines;
  private final RequestSpec.Defaults defaults;
  private final ArrayDeque<RequestSpec> ready = new ArrayDeque<>();
  private long lineNumber;
  private boolean ended;
  private boolean paused;
  private Runnable listener = () -> { };
  private java.util.function.Consumer<Throwable> errorListener = e -> { };

  /** Reads {@code file} from its start, on {@code context} (the job's coordinator). */
  FileSource(Context context, RequestsFile file, RequestSpec.Defaults defaults) {
    this.file = new RequestsFileStream(context, file);
    this.defaults = defaults;
    this.lines = RecordParser.newDelimited("\n", this.file);
    lines.handler(this::onLine);
    lines.endHandler(v -> onEnd());
    lines.maxRecordSize(MAX_LINE_BYTES);
    lines.exceptionHandler(this::onFailure);
  }

  private void onLine(Buffer line) {
    long index = lineNumber++;
    if (!blank(line)) {
      ready.add(RequestSpec.ofLine(index, line.toString(StandardCharsets.UTF_8), defaults));
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
