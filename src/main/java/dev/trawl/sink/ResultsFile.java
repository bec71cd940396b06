package dev.trawl.sink;

import dev.trawl.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;

/**
 * Reads a job's results file while the sink may still be writing it: only bytes the sink knows
 * to be written whole ({@code trawl.sink.flush}), so a reader never sees half a line. Either this
 * node's file, or (on another node) the coordinator's file over {@code trawl.sink.read}.
 */
public interface ResultsFile {

  /** Up to {@code max} bytes from {@code position}; empty when nothing more is written yet. */
  Future<Buffer> read(long position, int max);

  /** Releases what the reader holds open (a remote reader holds nothing). */
  default void close() {
  }

  /** The file on this node. */
  static ResultsFile local(Vertx vertx, String jobId, String path) {
    return new Local(vertx, jobId, path);
  }

  /** The file on {@code node}, read through its sink. */
  static ResultsFile remote(Vertx vertx, String node, String jobId, String path) {
    return (position, max) -> vertx.eventBus().<Buffer>request(Addresses.atNode(Addresses.SINK_READ, node),
        new JsonObject().put("jobId", jobId).put("path", path).put("position", position).put("max", max))
      .map(reply -> reply.body());
  }

  final class Local implements ResultsFile {

    private final Vertx vertx;
    private final String jobId;
    private final String path;
    private AsyncFile file;
    private boolean closed;

    private Local(Vertx vertx, String jobId, String path) {
      this.vertx = vertx;
      this.jobId = jobId;
      this.path = path;
    }

    @Override
    public Future<Buffer> read(long position, int max) {
      return vertx.eventBus().<JsonObject>request(Addresses.SINK_FLUSH, new JsonObject().put("jobId", jobId))
        .compose(flushed -> open().compose(opened -> {
          long whole = flushed.body().getLong("length", Long.MAX_VALUE);
          int length = (int) Math.min(max, whole - position);
          if (!opened || length <= 0) {
            return Future.succeededFuture(Buffer.buffer());
          }
          return file.read(Buffer.buffer(length), 0, position, length);
        }));
    }

    private Future<Boolean> open() {
      if (file != null) {
        return Future.succeededFuture(true);
      }
      return vertx.fileSystem().exists(path).compose(exists -> !exists ? Future.succeededFuture(false)
        : vertx.fileSystem().open(path, new OpenOptions().setRead(true).setWrite(false).setCreate(false))
          .map(opened -> {
            if (closed) {
              opened.close();
              return false;
            }
            file = opened;
            return true;
          }));
    }

    @Override
    public void close() {
      closed = true;
      if (file != null) {
        file.close();
        file = null;
      }
    }
  }
}
