package dev.trawl.config;

/**
 * The sink's settings ({@code sink.*}), read once from the node config.
 *
 * @param dir     {@code sink.dir}: results go to {@code <dir>/<job name>/<job id>.jsonl}; other
 *                nodes may read only files under it
 * @param flushMs {@code sink.flushMs}: how often written results are flushed to the disk
 * @param nodeId  {@code node.id} ({@code pid@host} when empty): the node other nodes ask for this sink's files
 */
public record SinkSettings(String dir, long flushMs, String nodeId) {

  public static SinkSettings from(TrawlConfig cfg) {
    return new SinkSettings(cfg.sinkDir(), cfg.sinkFlushMs(), cfg.nodeId());
  }

  /** Whether {@code path} lies under {@link #dir}. */
  public boolean holds(String path) {
    return Confinement.inside(dir, path);
  }
}
