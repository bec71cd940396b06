package dev.trawl.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Whether a path given from outside lies under a directory the config confines it to
 * ({@code sink.dir}, {@code jobs.requestsFileDir}). Both are compared absolute and normalised, so
 * {@code ..} cannot climb out. No I/O: symbolic links are not followed.
 */
public final class Confinement {

  private Confinement() {
  }

  /**
   * True when {@code path} is {@code root} or lies under it; relative paths are resolved against
   * the working directory. A string that is not a path at all is not inside.
   */
  public static boolean inside(String root, String path) {
    try {
      return absolute(path).startsWith(absolute(root));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static Path absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize();
  }
}
