package dev.trawl.cli;

import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

/** Vert.x options every Trawl process uses. */
final class NodeOptions {

  private NodeOptions() {
  }

  /**
   * Trawl reads and writes plain paths only, so the classpath resolver and its file cache are
   * off. That also matters at shutdown: the cache's own JVM shutdown hook removes its directory
   * while the drain is still writing summaries, and every file operation then fails.
   */
  static VertxOptions apply(VertxOptions options) {
    return options.setFileSystemOptions(new FileSystemOptions()
      .setClassPathResolvingEnabled(false)
      .setFileCachingEnabled(false));
  }
}
