package dev.trawl;

import dev.trawl.bus.Addresses;
import dev.trawl.support.Jobs;
import dev.trawl.support.NodeIT;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.trawl.support.Jobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk, for real: {@code /dev/full} accepts an open for writing and fails every write with
 * ENOSPC ("No space left on device"), as a full file system does. The results path of a job is
 * known once it is accepted; with one job slot, taken by a job held at the origin, the second job
 * waits in the queue while the test puts a symbolic link to {@code /dev/full} at its results path,
 * which the sink then opens (it follows links: only reads are confined to {@code sink.dir}).
 * Deterministic: the job cannot open its file before the first job's slot is freed.
 */
class WriteFailureIT extends NodeIT {

  private static final Path FULL_DEVICE = Path.of("/dev/full");

  @Override
  protected JsonObject nodeConfig() {
    return new JsonObject().put("jobs", new JsonObject().put("maxConcurrent", 1));
  }

  /** Linear, from the JUnit thread: the link is made and the files read here, not on an event loop. */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aFullDiskFailsTheJobWithTheReason() {
    node.submit(job("holder", origin.url("/hold"))).await();
    origin.whenHolding(1).await();
    String id = node.submit(job("full", origin.url("/page/1"), origin.url("/page/2"), origin.url("/json/3")))
      .await().bodyAsJsonObject().getString("id");
    String output = node.get("/jobs/" + id).await().bodyAsJsonObject().getString("output");
    linkToFullDevice(output);
    JsonObject summary = whenDone(id, origin::releaseHeld).await();
    assertEquals("failed", summary.getString("state"));
    String error = summary.getString("error");
    assertTrue(error.startsWith("results could not be written to " + output), error);
    assertTrue(error.contains("No space left on device"), error);
    assertEquals(summary, Jobs.readSummary(output));
  }

  /** Subscribes to the job's end, then runs {@code then}, and completes with the final summary. */
  private Future<JsonObject> whenDone(String id, Runnable then) {
    Promise<JsonObject> done = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.done(id), m -> done.tryComplete(m.body()));
    return consumer.completion().compose(v -> {
      then.run();
      return done.future();
    });
  }

  private static void linkToFullDevice(String output) {
    try {
      Path results = Path.of(output);
      Files.createDirectories(results.getParent());
      Files.createSymbolicLink(results, FULL_DEVICE);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
