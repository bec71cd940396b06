package dev.trawl.job;

import dev.trawl.config.ConfigLoader;
import dev.trawl.config.JobDefaults;
import dev.trawl.support.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A {@link FileSource} reads the handle opened at submit, many 64 KiB chunks through pauses and
 * resumes, and hands out exactly the requests {@link LineCounter} counted, in line order.
 */
class FileSourceTest {

  private static final RequestSpec.Defaults JOB = new RequestSpec.Defaults(
    JobDefaults.of(ConfigLoader.effective(new JsonObject(), Map.of())).timeouts(), Map.of());

  @TempDir
  Path dir;
  private TestVertx testVertx;
  private Context context;

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    context = testVertx.vertx().getOrCreateContext();
  }

  @AfterEach
  void down() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void handsOutEveryCountedLineInOrderAcrossChunksAndPauses() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append(i % 1000 == 7 ? "  \r\n" : "http://a.example/some/path/" + i + "\n");
    }
    text.append("http://a.example/last-without-newline");
    Path file = Files.writeString(dir.resolve("urls.txt"), text);
    RequestsFile opened = RequestsFile.open(dir.toString(), file.toString());
    List<RequestSpec> read = drain(opened).await();
    assertEquals(opened.requests(), read.size());
    assertEquals(19_981, read.size());
    assertEquals("http://a.example/some/path/8", read.get(7).url());
    assertEquals(8, read.get(7).index());
    assertEquals(20_000, read.get(read.size() - 1).index());
    assertEquals("http://a.example/last-without-newline", read.get(read.size() - 1).url());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aLineOverTheLimitIsThatLinesInvalidRequestAndTheRestIsRead() throws Exception {
    String over = "http://a.example/" + "x".repeat(FileSource.MAX_LINE_BYTES);
    String blankOver = " ".repeat(2 * FileSource.MAX_LINE_BYTES);
    Path file = Files.writeString(dir.resolve("long.txt"),
      "http://a.example/1\n" + over + "\nhttp://a.example/3\n" + blankOver + "\nhttp://a.example/5\n");
    RequestsFile opened = RequestsFile.open(dir.toString(), file.toString());
    List<RequestSpec> read = drain(opened).await();
    assertEquals(4, opened.requests());
    assertEquals(List.of(0L, 1L, 2L, 4L), read.stream().map(RequestSpec::index).toList());
    assertEquals("line 2 is longer than 1048576 bytes", read.get(1).problem());
    assertEquals("http://a.example/3", read.get(2).url());
    assertEquals("http://a.example/5", read.get(3).url());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aByteOrderMarkAtTheStartIsSkipped() throws Exception {
    Path file = Files.writeString(dir.resolve("bom.txt"), "\uFEFFhttp://a.example/1\nhttp://a.example/2\n");
    List<RequestSpec> read = drain(RequestsFile.open(dir.toString(), file.toString())).await();
    assertEquals(List.of("http://a.example/1", "http://a.example/2"), read.stream().map(RequestSpec::url).toList());
    assertEquals(List.of(true, true), read.stream().map(RequestSpec::valid).toList());
  }

  /**
   * A read can finish on its worker before its callback is attached; handed over at once, inside
   * the parser's resume(), it was dropped and the source never ended. Small files hit it most.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aSmallFileEndsEveryTime() throws Exception {
    Path file = Files.writeString(dir.resolve("two.txt"), "http://a.example/1\n\nhttp://a.example/2\n");
    for (int i = 0; i < 300; i++) {
      assertEquals(2, drain(RequestsFile.open(dir.toString(), file.toString())).timeout(5, TimeUnit.SECONDS).await().size(),
        "run " + i);
    }
  }

  /**
   * Polls at most 50 requests a turn, as the pump does: a full batch goes on at the next turn, an
   * empty poll waits for {@code onReady}; once exhausted the source is closed.
   */
  private Future<List<RequestSpec>> drain(RequestsFile file) {
    Promise<List<RequestSpec>> done = Promise.promise();
    context.runOnContext(v -> new Drain(new FileSource(context, file, JOB), done).pollSome());
    return done.future();
  }

  private final class Drain {
    private final FileSource source;
    private final Promise<List<RequestSpec>> done;
    private final List<RequestSpec> read = new ArrayList<>();

    Drain(FileSource source, Promise<List<RequestSpec>> done) {
      this.source = source;
      this.done = done;
      source.onError(done::tryFail);
      source.onReady(() -> context.runOnContext(v -> pollSome()));
    }

    void pollSome() {
      for (int i = 0; i < 50; i++) {
        RequestSpec next = source.poll();
        if (next == null) {
          if (source.exhausted() && !done.future().isComplete()) {
            source.close();
            done.complete(read);
          }
          return; // onReady polls again
        }
        read.add(next);
      }
      context.runOnContext(v -> pollSome());
    }
  }
}
