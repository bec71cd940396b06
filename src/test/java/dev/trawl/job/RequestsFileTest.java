package dev.trawl.job;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The checks {@link RequestsFile#open} makes before it opens a file, and what it reads after. Blocking, as on a worker. */
class RequestsFileTest {

  @TempDir
  Path dir;
  @TempDir
  Path elsewhere;

  private String refusal(String root, Path file) {
    return assertThrows(RequestsFile.Refused.class, () -> RequestsFile.open(root, file.toString())).getMessage();
  }

  @Test
  void procFilesAreRefusedEvenWhenTheDirectoryIsTheRoot() {
    assumeTrue(Files.exists(Path.of("/proc/self/environ")));
    assertEquals("requestsFile: /proc/self/environ is not a regular file", refusal("/", Path.of("/proc/self/environ")));
  }

  @Test
  void sysFilesAreRefusedEvenWhenTheDirectoryIsTheRoot() {
    Path kernel = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    assumeTrue(Files.isRegularFile(kernel));
    assertEquals("requestsFile: " + kernel + " is not a regular file", refusal("/", kernel));
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void devZeroIsRefusedWithoutBeingRead() {
    assumeTrue(Files.exists(Path.of("/dev/zero")));
    assertEquals("requestsFile: /dev/zero is not a regular file", refusal("/", Path.of("/dev/zero")));
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aLinkInsideToDevZeroIsRefused() throws IOException {
    assumeTrue(Files.exists(Path.of("/dev/zero")));
    Path link = Files.createSymbolicLink(dir.resolve("zero.txt"), Path.of("/dev/zero"));
    assertEquals("requestsFile: " + link + " is outside jobs.requestsFileDir=" + dir, refusal(dir.toString(), link));
  }

  /** Six requests, then 8 GiB of a sparse file: counting stops at the sixth, long before the end. */
  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void countingStopsOnePastMaxRequests() throws IOException {
    Path file = Files.writeString(dir.resolve("many.txt"), "http://a.example/\n".repeat(6));
    try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(8L << 30);
    }
    assertEquals("requestsFile: more than 5 requests, over jobs.maxRequests=5",
      assertThrows(RequestsFile.Refused.class, () -> RequestsFile.open(dir.toString(), file.toString(), 5)).getMessage());
  }

  @Test
  void aFileAtMaxRequestsIsTaken() throws Exception {
    Path file = Files.writeString(dir.resolve("five.txt"), "http://a.example/\n".repeat(5));
    try (var opened = new Closer(RequestsFile.open(dir.toString(), file.toString(), 5))) {
      assertEquals(5, opened.file.requests());
    }
  }

  @Test
  void aLinkInsideToAFileOutsideIsRefused() throws IOException {
    Path secret = Files.writeString(elsewhere.resolve("secret"), "root:x:0:0\n");
    Path link = Files.createSymbolicLink(dir.resolve("urls.txt"), secret);
    assertEquals("requestsFile: " + link + " is outside jobs.requestsFileDir=" + dir, refusal(dir.toString(), link));
  }

  @Test
  void aLinkedDirectoryIsComparedByItsRealPath() throws Exception {
    Path real = Files.createDirectory(elsewhere.resolve("real"));
    Files.writeString(real.resolve("urls.txt"), "http://a.example/\n");
    Path linkedDir = Files.createSymbolicLink(dir.resolve("linked"), real);
    try (var opened = new Closer(RequestsFile.open(linkedDir.toString(), linkedDir.resolve("urls.txt").toString()))) {
      assertEquals(1, opened.file.requests());
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("fifo");
    assumeTrue(mkfifo(fifo), "mkfifo is not available");
    assertEquals("requestsFile: " + fifo + " is not a regular file", refusal(dir.toString(), fifo));
  }

  @Test
  void theDirectoryItselfIsRefused() {
    assertEquals("requestsFile: " + dir + " is outside jobs.requestsFileDir=" + dir, refusal(dir.toString(), dir));
  }

  @Test
  void aDirectoryInsideIsNotARegularFile() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    assertEquals("requestsFile: " + sub + " is not a regular file", refusal(dir.toString(), sub));
  }

  @Test
  void aMissingFileSaysSoWithoutQuotingTheSystem() {
    Path missing = dir.resolve("missing.txt");
    assertEquals("requestsFile: cannot read " + missing + ": no such file", refusal(dir.toString(), missing));
  }

  @Test
  void whatIsReadIsWhatWasCountedEvenIfTheFileGrows() throws Exception {
    Path file = Files.writeString(dir.resolve("urls.txt"), "http://a.example/1\nhttp://a.example/2\n");
    try (var opened = new Closer(RequestsFile.open(dir.toString(), file.toString()))) {
      Files.writeString(file, "http://b.example/appended\n", java.nio.file.StandardOpenOption.APPEND);
      assertEquals(2, opened.file.requests());
      assertEquals("http://a.example/1\nhttp://a.example/2\n",
        opened.file.readAt(0, 1 << 16).toString(StandardCharsets.UTF_8));
      assertEquals(0, opened.file.readAt(opened.file.bytes(), 1 << 16).length());
    }
  }

  static boolean mkfifo(Path fifo) {
    try {
      return new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() == 0 && Files.exists(fifo);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Closes the file when a test is done with it. */
  private static final class Closer implements AutoCloseable {
    final RequestsFile file;
    private final Vertx vertx = Vertx.vertx();

    Closer(RequestsFile file) {
      this.file = file;
    }

    @Override
    public void close() {
      file.close(vertx).await();
      vertx.close().await();
    }
  }
}
