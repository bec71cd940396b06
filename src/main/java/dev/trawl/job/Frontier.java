package dev.trawl.job;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.TreeSet;

/**
 * A crawl's queue of pages found and not fetched yet, first in first out, in bounded memory: up to
 * {@link #IN_MEMORY} entries wait in memory, the rest in a spill file next to the job's results,
 * read back a chunk at a time as the queue drains. Entries are single lines without newlines.
 * Confined to the coordinator's event loop.
 */
final class Frontier {

  static final int IN_MEMORY = 8192;
  private static final int CHUNK = 256 * 1024;

  private final Vertx vertx;
  private final String spillPath;
  private final ArrayDeque<String> memory = new ArrayDeque<>();
  /** Start positions of spill writes not finished: the file is whole only below the first. */
  private final TreeSet<Long> unfinished = new TreeSet<>();
  private AsyncFile spill;
  private Future<AsyncFile> opening;
  private long spilled;
  /** Where the next spill write goes: writes are placed in the order they are made, whenever the file opens. */
  private long spillEnd;
  private long readPosition;
  private boolean reading;
  private Buffer partial = Buffer.buffer();
  private Runnable onReady = () -> { };
  private Runnable onError = () -> { };

  Frontier(Vertx vertx, String spillPath) {
    this.vertx = vertx;
    this.spillPath = spillPath;
  }

  void onReady(Runnable listener) {
    this.onReady = listener;
  }

  void onError(Runnable listener) {
    this.onError = listener;
  }

  /** Everything added has been polled. */
  boolean isEmpty() {
    return memory.isEmpty() && spilled == 0;
  }

  /** Adds entries in order; those that do not fit in memory go to the spill file in one write. */
  void addAll(List<String> entries) {
    Buffer overflow = null;
    for (String entry : entries) {
      if (spilled == 0 && memory.size() < IN_MEMORY) {
        memory.add(entry);
      } else {
        spilled++;
        overflow = overflow == null ? Buffer.buffer() : overflow;
        overflow.appendString(entry).appendByte((byte) '\n');
      }
    }
    if (overflow != null) {
      write(overflow);
    }
  }

  /** The oldest entry, or null while none is in memory (a read from the spill file may be under way). */
  String poll() {
    String next = memory.poll();
    if (memory.size() < IN_MEMORY / 2 && spilled > 0) {
      refill();
    }
    return next;
  }

  /** Closes and deletes the spill file. */
  Future<Void> close() {
    if (opening == null) {
      return Future.succeededFuture();
    }
    return opening.compose(AsyncFile::close).compose(v -> vertx.fileSystem().delete(spillPath))
      .recover(error -> Future.succeededFuture());
  }

  private void write(Buffer lines) {
    if (opening == null) {
      opening = vertx.fileSystem().open(spillPath, new OpenOptions().setRead(true).setWrite(true)
        .setCreate(true).setTruncateExisting(true)).onSuccess(file -> spill = file);
    }
    long start = spillEnd;
    spillEnd += lines.length();
    unfinished.add(start);
    opening.compose(file -> file.write(lines, start)).onComplete(done -> {
      unfinished.remove(start);
      if (done.failed()) {
        onError.run();
      } else if (memory.isEmpty()) {
        refill();
      }
    });
  }

  private void refill() {
    if (reading || spill == null || spilled == 0) {
      return;
    }
    long whole = unfinished.isEmpty() ? spillEnd : unfinished.first();
    int length = (int) Math.min(CHUNK, whole - readPosition);
    if (length <= 0) {
      return;
    }
    reading = true;
    spill.read(Buffer.buffer(length), 0, readPosition, length).onComplete(read -> {
      reading = false;
      if (read.failed()) {
        onError.run();
        return;
      }
      readPosition += read.result().length();
      takeLines(read.result());
      // Never from inside poll() (a read that finished before its callback was attached runs it
      // at once): a listener that polls would take newer entries before poll() returns an older one.
      vertx.runOnContext(v -> onReady.run());
    });
  }

  private void takeLines(Buffer chunk) {
    int start = 0;
    for (int i = 0; i < chunk.length(); i++) {
      if (chunk.getByte(i) == '\n') {
        Buffer line = partial.length() == 0 ? chunk.getBuffer(start, i) : partial.appendBuffer(chunk, start, i - start);
        partial = Buffer.buffer();
        memory.add(line.toString(StandardCharsets.UTF_8));
        spilled--;
        start = i + 1;
      }
    }
    if (start < chunk.length()) {
      partial.appendBuffer(chunk, start, chunk.length() - start);
    }
  }
}
