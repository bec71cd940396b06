package dev.trawl;

import dev.trawl.bus.Addresses;
import dev.trawl.cli.RunCommand;
import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import dev.trawl.support.RequestsFiles;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.trawl.support.Jobs.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A {@code requestsFile} over the API: only from {@code jobs.requestsFileDir} (by real path), only
 * a regular file, opened once at submit; a bad line's result names its line and reason, never its
 * content. The CLI still reads any regular file its user names.
 */
class RequestsFileIT extends NodeIT {

  private static final String PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";

  private static final int MAX_REQUESTS = 5;

  @TempDir
  Path elsewhere;

  private Path inbox() {
    return data.resolve("in");
  }

  /** One job at a time, so a second job waits in the queue; at most 5 requests; files under {@code <data>/in}. */
  @Override
  protected JsonObject nodeConfig() {
    try {
      Files.createDirectories(inbox());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new JsonObject().put("jobs", new JsonObject().put("maxConcurrent", 1).put("maxRequests", MAX_REQUESTS))
      .mergeIn(RequestsFiles.allowedIn(inbox()), true);
  }

  private static JsonObject fileJob(String name, Path file) {
    return new JsonObject().put("name", name).put("requestsFile", file.toString());
  }

  private HttpResponse<Buffer> submit(JsonObject job) {
    return node.submit(job).await();
  }

  private static List<Object> problemsOf(HttpResponse<Buffer> response) {
    assertEquals(400, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("problems").getList();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aFileInTheDirectoryIsFetched() throws IOException {
    Path file = Files.writeString(inbox().resolve("urls.txt"), origin.url("/page/1") + "\n\n" + origin.url("/page/2") + "\n");
    JsonObject summary = node.submitAndWait(fileJob("inside", file)).await();
    assertEquals(2, summary.getLong("total"));
    assertEquals(2, summary.getLong("ok"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aSymlinkOutOfTheDirectoryIsRefused() throws IOException {
    Path secret = Files.writeString(elsewhere.resolve("secret.txt"), PASSWD);
    Path link = Files.createSymbolicLink(inbox().resolve("urls.txt"), secret);
    assertEquals(List.of("requestsFile: " + link + " is outside jobs.requestsFileDir=" + inbox()),
      problemsOf(submit(fileJob("link", link))));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aPathThatClimbsOutIsRefused() {
    String climbing = inbox() + "/../../../../../../../proc/self/environ";
    assertEquals(List.of("requestsFile: " + climbing + " is outside jobs.requestsFileDir=" + inbox()),
      problemsOf(submit(new JsonObject().put("name", "climb").put("requestsFile", climbing))));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aFifoIsRefusedWithoutWaitingForAWriter() throws IOException, InterruptedException {
    Path fifo = inbox().resolve("fifo");
    assumeTrue(mkfifo(fifo), "mkfifo is not available");
    assertEquals(List.of("requestsFile: " + fifo + " is not a regular file"), problemsOf(submit(fileJob("fifo", fifo))));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aFileOverMaxRequestsIsRefused() throws IOException {
    Path file = Files.writeString(inbox().resolve("many.txt"), (origin.url("/page/1") + "\n").repeat(MAX_REQUESTS + 1));
    assertEquals(List.of("requestsFile: more than 5 requests, over jobs.maxRequests=5"), problemsOf(submit(fileJob("many", file))));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void theFileOpenedAtSubmitIsReadEvenIfItIsSwappedForALinkBeforeTheJobStarts() throws IOException {
    Path file = Files.writeString(inbox().resolve("urls.txt"), origin.url("/page/1") + "\n" + origin.url("/page/2") + "\n");
    Path secret = Files.writeString(elsewhere.resolve("secret.txt"), PASSWD + PASSWD);
    submit(Jobs.job("holder", origin.url("/hold")));
    origin.whenHolding(1).await();
    HttpResponse<Buffer> accepted = submit(fileJob("swapped", file));
    assertEquals("queued", accepted.bodyAsJsonObject().getString("state"), accepted.bodyAsString());
    Files.delete(file);
    Files.createSymbolicLink(file, secret);
    JsonObject summary = whenDone(accepted.bodyAsJsonObject().getString("id"));
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    assertEquals(List.of(2L, 2L, 2), List.of(summary.getLong("total"), summary.getLong("ok"), results.size()));
    assertEquals(origin.url("/page/2"), result(results, 1).getString("url"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aBadLineNamesItsNumberAndReasonAndNeverItsContent() throws IOException {
    String badHeader = "{\"url\": \"" + origin.url("/page/3") + "\", \"headers\": {\"X-Token\": \"s3cret\\r\\nHost: evil\"}}";
    Path file = Files.writeString(inbox().resolve("mixed.txt"), PASSWD + badHeader + "\n" + origin.url("/page/4") + "\n");
    JsonObject summary = node.submitAndWait(fileJob("mixed", file)).await();
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    assertEquals(4, results.size());
    assertEquals(new JsonObject().put("kind", "invalid_request").put("message", "line 1: scheme must be http or https"),
      result(results, 0).getJsonObject("error"));
    assertEquals(new JsonObject().put("kind", "invalid_request").put("message", "line 2: scheme must be http or https"),
      result(results, 1).getJsonObject("error"));
    assertEquals(new JsonObject().put("kind", "invalid_request").put("message",
        "line 3.headers.…: the value has a control character (CR, LF, NUL, …) at position 6"),
      result(results, 2).getJsonObject("error"));
    assertEquals(true, result(results, 3).getBoolean("ok"));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theCliReadsAFileOutsideAnyDirectoryThroughALink() throws IOException {
    Path real = Files.writeString(elsewhere.resolve("urls.txt"), origin.url("/page/1") + "\n" + origin.url("/page/2") + "\n");
    Path link = Files.createSymbolicLink(elsewhere.resolve("link.txt"), real);
    Path jobFile = Files.writeString(elsewhere.resolve("job.json"), fileJob("cli", link).encode());
    Path conf = Files.writeString(elsewhere.resolve("conf.json"),
      new JsonObject().put("fetch", new JsonObject().put("blockPrivateNetworks", false)).encode());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = RunCommand.run(new String[] {jobFile.toString(), "--out", elsewhere.resolve("out").toString(),
      "-conf", conf.toString()}, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(RunCommand.OK, code, err.toString(StandardCharsets.UTF_8));
  }

  private JsonObject whenDone(String id) {
    Promise<JsonObject> done = Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.done(id), message -> done.tryComplete(message.body()))
      .completion().await();
    vertx.runOnContext(v -> origin.releaseHeld());
    return done.future().await();
  }

  static boolean mkfifo(Path fifo) throws InterruptedException {
    try {
      return new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() == 0 && Files.exists(fifo);
    } catch (IOException e) {
      return false;
    }
  }
}
