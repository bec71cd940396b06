package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import dev.trawl.support.RequestsFiles;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.trawl.support.Jobs.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Hostile {@code requestsFile}s over the API: devices and FIFOs are refused at submit without a
 * worker thread spent on them, a file over {@code jobs.maxRequests} is refused without being read
 * to its end, a line over 1 MiB is that line's {@code invalid_request}, and a UTF-8 byte order
 * mark does not spoil line 1.
 */
class HostileInputIT extends NodeIT {

  private static final int MAX_REQUESTS = 5;

  /** The whole file system is allowed, so that the regular-file checks, not the directory's, are what refuse. */
  @Override
  protected JsonObject nodeConfig() {
    return new JsonObject().put("jobs", new JsonObject().put("maxRequests", MAX_REQUESTS))
      .mergeIn(RequestsFiles.allowedIn(Path.of("/")), true);
  }

  private static JsonObject fileJob(String name, Path file) {
    return new JsonObject().put("name", name).put("requestsFile", file.toString());
  }

  private static List<Object> problemsOf(HttpResponse<Buffer> response) {
    assertEquals(400, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("problems").getList();
  }

  /** More submits of /dev/zero than Vert.x has worker threads (20): a job after them still runs. */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void devZeroIsRefusedAtSubmitAndPinsNoWorker() throws IOException {
    assumeTrue(Files.exists(Path.of("/dev/zero")));
    List<Future<HttpResponse<Buffer>>> submits = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      submits.add(node.submit(fileJob("zero", Path.of("/dev/zero"))));
    }
    for (Future<HttpResponse<Buffer>> submit : submits) {
      assertEquals(List.of("requestsFile: /dev/zero is not a regular file"), problemsOf(submit.await()));
    }
    Path file = Files.writeString(data.resolve("after.txt"), origin.url("/page/1") + "\n");
    assertEquals(1L, node.submitAndWait(fileJob("after", file)).await().getLong("ok"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aFifoIsRefusedAtSubmit() {
    Path fifo = data.resolve("fifo");
    assumeTrue(mkfifo(fifo), "mkfifo is not available");
    assertEquals(List.of("requestsFile: " + fifo + " is not a regular file"),
      problemsOf(node.submit(fileJob("fifo", fifo)).await()));
  }

  /** Six requests, then 1 TiB of a sparse file: read to its end, the submit would outlast the timeout. */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aFileOverMaxRequestsIsRefusedWithoutBeingReadToItsEnd() throws IOException {
    Path file = Files.writeString(data.resolve("many.txt"), (origin.url("/page/1") + "\n").repeat(MAX_REQUESTS + 1));
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(1L << 40);
    } catch (IOException e) {
      assumeTrue(false, "no sparse 1 TiB file here: " + e.getMessage());
    }
    assertEquals(List.of("requestsFile: more than 5 requests, over jobs.maxRequests=5"),
      problemsOf(node.submit(fileJob("many", file)).await()));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void anOverLongLineIsItsOwnInvalidRequestAndAByteOrderMarkIsIgnored() throws IOException {
    String overLong = origin.url("/page/") + "x".repeat(1 << 20);
    Path file = Files.writeString(data.resolve("hostile.txt"),
      "\uFEFF" + origin.url("/page/1") + "\n" + overLong + "\n" + origin.url("/page/3") + "\n");
    JsonObject summary = node.submitAndWait(fileJob("hostile", file)).await();
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    assertEquals(List.of(3L, 2L, 3), List.of(summary.getLong("total"), summary.getLong("ok"), results.size()));
    assertEquals(origin.url("/page/1"), result(results, 0).getString("url"));
    assertEquals(true, result(results, 0).getBoolean("ok"));
    assertEquals(new JsonObject().put("kind", "invalid_request").put("message", "line 2 is longer than 1048576 bytes"),
      result(results, 1).getJsonObject("error"));
    assertEquals(true, result(results, 2).getBoolean("ok"));
  }

  private static boolean mkfifo(Path fifo) {
    try {
      return new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() == 0 && Files.exists(fifo);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
