package dev.trawl.support;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Trawl node as a real process ({@code target/trawl.jar}) with a fixed config, so that it can be
 * killed ({@code kill -9}), stopped ({@code SIGTERM}) and started again on the same port and
 * directory, and its API called in between.
 */
public final class NodeProcess implements AutoCloseable {

  private static final Path JAR = Path.of("target", "trawl.jar");

  private final JsonObject config;
  private final WebClient client;
  private final int port;
  /** The node's stderr, every start appended: what a failing test shows. */
  private final Path log;
  private Process process;

  /** A node on a free loopback port with {@code config} (its {@code http.port} is set here). */
  public NodeProcess(WebClient client, JsonObject config, Path log) {
    this.client = client;
    this.log = log;
    this.port = Processes.freePort();
    this.config = config.copy();
    JsonObject http = this.config.getJsonObject("http", new JsonObject());
    this.config.put("http", http.put("host", "127.0.0.1").put("port", port));
  }

  /** Starts the node and returns once it is ready. */
  public NodeProcess start() throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "-conf", config.encode()));
    long before = Files.exists(log) ? Files.size(log) : 0;
    process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
      .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log).substring((int) before).contains("trawl: ready")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the node did not get ready:\n" + tail());
      }
      Await.pause(50);
    }
    return this;
  }

  /** {@code kill -9}: the node gets no chance to write anything more. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** {@code SIGTERM}, then waits for the process to exit; returns its exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the node did not exit within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  public String submit(JsonObject job) {
    HttpResponse<Buffer> response = client.post(port, "127.0.0.1", "/jobs").sendJsonObject(job).await();
    if (response.statusCode() != 202) {
      throw new AssertionError("submit: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getString("id");
  }

  public JsonObject summary(String id) {
    return client.get(port, "127.0.0.1", "/jobs/" + id).send().await().bodyAsJsonObject();
  }

  /** {@code POST /jobs/{id}/{action}}: the response. */
  public HttpResponse<Buffer> post(String id, String action) {
    return client.post(port, "127.0.0.1", "/jobs/" + id + "/" + action).send().await();
  }

  public HttpResponse<Buffer> get(String path) {
    return client.get(port, "127.0.0.1", path).send().await();
  }

  /** Waits for the job's end (at most 90 s, then fails with the node's log) and returns its final summary. */
  public JsonObject awaitEnd(String id) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    JsonObject summary = summary(id);
    while (summary.getString("endedAt") == null) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + id + " did not end: " + summary + "\nnode log:\n" + tail());
      }
      Await.pause(50);
      summary = summary(id);
    }
    return summary;
  }

  /** The last lines the node wrote on stderr. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
    }
  }
}
