package dev.trawl.job;

import dev.trawl.config.Problems;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A job's {@code requestsFile}, opened once, at submit, after its checks: its real path (every
 * symbolic link resolved) lies inside the real path of {@code jobs.requestsFileDir}, and it is a
 * regular file on a disk file system (no FIFO, device, directory, nor a /proc, /sys or /dev file:
 * those report as regular files of size 0 and hold the node's secrets). The handle opened is the
 * one counted and then read by the job's {@link FileSource}, up to the length counted: a file or
 * link swapped after the check changes nothing. Blocking methods run on a worker thread.
 */
final class RequestsFile {

  /** The problem of a {@code requestsFile} on a node without {@code jobs.requestsFileDir}. */
  static final String NOT_ENABLED = "requestsFile is not enabled on this node: set jobs.requestsFileDir";

  private static final List<Path> SYSTEM = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));
  private static final Set<String> PSEUDO_FILE_SYSTEMS = Set.of("proc", "sysfs", "devtmpfs", "devpts", "debugfs",
    "securityfs", "tracefs", "configfs", "cgroup", "cgroup2", "efivarfs", "bpf", "pstore", "fusectl");

  private final FileChannel channel;
  private final LineCounter.Count count;

  private RequestsFile(FileChannel channel, LineCounter.Count count) {
    this.channel = channel;
    this.count = count;
  }

  /** Why a file may not be read, in words a client may see: no content, the path cut at 200 characters. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** Checks {@code given} against {@code dir}, opens it and counts all its requests. Blocking. */
  static RequestsFile open(String dir, String given) throws Refused {
    return open(dir, given, Long.MAX_VALUE - 1);
  }

  /**
   * Checks {@code given} against {@code dir}, opens it and counts its requests; refused once the
   * count passes {@code maxRequests} (the count stops there: the rest is never read). Blocking.
   */
  static RequestsFile open(String dir, String given, long maxRequests) throws Refused {
    String shown = new Problems().echo(given);
    try {
      Path real = realPathInside(dir, given, shown);
      BasicFileAttributes checked = regularFile(real, shown);
      FileChannel channel = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      try {
        unchanged(real, checked, shown);
        return new RequestsFile(channel, withinMax(LineCounter.count(channel, maxRequests), maxRequests));
      } catch (IOException | Refused | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      throw new Refused("requestsFile: cannot read " + shown + ": " + reason(e));
    }
  }

  private static Path realPathInside(String dir, String given, String shown) throws IOException, Refused {
    Path realDir;
    try {
      realDir = Path.of(dir).toRealPath();
    } catch (IOException e) {
      throw new Refused("requestsFile: jobs.requestsFileDir=" + dir + " cannot be read: " + reason(e));
    }
    Path real = Path.of(given).toRealPath();
    if (!real.startsWith(realDir) || real.equals(realDir)) {
      throw new Refused(outside(given, dir));
    }
    return real;
  }

  /** The problem of a path outside {@code jobs.requestsFileDir}, by its words or by its real path. */
  static String outside(String given, String dir) {
    return "requestsFile: " + new Problems().echo(given) + " is outside jobs.requestsFileDir=" + dir;
  }

  private static LineCounter.Count withinMax(LineCounter.Count count, long maxRequests) throws Refused {
    if (count.requests() > maxRequests) {
      throw new Refused("requestsFile: more than " + maxRequests + " requests, over jobs.maxRequests=" + maxRequests);
    }
    return count;
  }

  /**
   * A FIFO would block the open until a writer comes, a device may never end, /proc files are
   * regular files that hold the node's environment: only a regular file of a disk file system.
   */
  private static BasicFileAttributes regularFile(Path real, String shown) throws IOException, Refused {
    BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isRegularFile() || SYSTEM.stream().anyMatch(real::startsWith) || onPseudoFileSystem(real)) {
      throw new Refused("requestsFile: " + shown + " is not a regular file");
    }
    return attributes;
  }

  private static boolean onPseudoFileSystem(Path real) {
    try {
      return PSEUDO_FILE_SYSTEMS.contains(Files.getFileStore(real).type());
    } catch (IOException | SecurityException e) {
      return false; // no mount table to read: the path checks above still hold
    }
  }

  /** The file at the real path is still the one checked (same device and inode) now that it is open. */
  private static void unchanged(Path real, BasicFileAttributes checked, String shown) throws IOException, Refused {
    BasicFileAttributes now = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!now.isRegularFile() || !Objects.equals(now.fileKey(), checked.fileKey())) {
      throw new Refused("requestsFile: " + shown + " changed while it was being opened");
    }
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getClass().getSimpleName(); // a FileSystemException's message would quote paths
  }

  /** The requests (non-blank lines) counted at submit. */
  long requests() {
    return count.requests();
  }

  /** The bytes counted at submit: the source reads this far and no further. */
  long bytes() {
    return count.bytes();
  }

  /** Up to {@code max} bytes from {@code position}, never past {@link #bytes()}; empty at the end. Blocking. */
  Buffer readAt(long position, int max) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.max(0, Math.min(max, bytes() - position)));
    while (chunk.hasRemaining() && channel.read(chunk, position + chunk.position()) >= 0) {
      // a short read is not the end: read on until the chunk is full or the file ends
    }
    int read = chunk.position();
    return Buffer.buffer(read == chunk.capacity() ? chunk.array() : Arrays.copyOf(chunk.array(), read));
  }

  /** Closes the handle on a worker thread (a job that ends, or one that never started). */
  Future<Void> close(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      channel.close();
      return null;
    }, false);
  }
}
