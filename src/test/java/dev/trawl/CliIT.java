package dev.trawl;

import dev.trawl.cli.RunCommand;
import dev.trawl.support.Await;
import dev.trawl.support.Jobs;
import dev.trawl.support.Origin;
import dev.trawl.support.Processes;
import dev.trawl.support.TestVertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line, end to end: the fat jar as a process (built by {@code package} before
 * failsafe runs), and {@link RunCommand} in-process for its exit codes.
 */
class CliIT {

  private static final Path JAR = Path.of("target", "trawl.jar");

  @TempDir
  Path dir;
  private TestVertx testVertx;
  private Origin origin;

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    origin = new Origin(testVertx.vertx()).start().await();
  }

  @AfterEach
  void down() {
    testVertx.close();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theJarRunsAJobToItsFilesAndExitsZero() throws Exception {
    JsonArray requests = new JsonArray();
    for (int i = 0; i < 50; i++) {
      requests.add(origin.url("/page/" + i));
    }
    Path jobFile = write("job.json", new JsonObject().put("name", "cli").put("requests", requests)
      .put("parse", new JsonObject().put("fields", new JsonObject().put("title", "h1"))));
    Path out = dir.resolve("out");
    Process process = java("run", jobFile.toString(), "--out", out.toString(), "-conf", testConfig().toString());
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(50, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), stderr);
    Path results = onlyFile(out.resolve("cli"), ".jsonl");
    assertEquals(50, Jobs.readResults(results.toString()).size());
    assertEquals("succeeded", Jobs.readSummary(results.toString()).getString("state"));
    assertTrue(stderr.contains("50 ok, 0 failed"), stderr);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aMissingConfigStopsTheServiceWithOneLine() throws Exception {
    Process process = java("-conf", dir.resolve("missing.json").toString());
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, process.exitValue());
    assertEquals(1, stderr.lines().count(), stderr);
    assertTrue(stderr.startsWith("trawl: config file") && stderr.contains("does not exist"), stderr);
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void sigtermStopsRunningJobsToBeResumedByTheNextStart() throws Exception {
    Path data = dir.resolve("data");
    Service service = service(data, new JsonObject().put("stopGraceMs", 500));
    String id = service.submit(new JsonObject().put("name", "term").put("requests", new JsonArray()
      .add(origin.url("/page/1")).add(origin.url("/hold")).add(origin.url("/hold"))));
    origin.whenHolding(2).await();
    Path results = data.resolve("term").resolve(id + ".jsonl");
    Await.until(() -> Files.exists(results) && Jobs.readResults(results.toString()).size() == 1);
    int exit = service.stop();
    assertTrue(exit == 0 || exit == 143, "a node stopped by SIGTERM exits as the JVM does on it: " + exit);
    assertFalse(Files.exists(Path.of(results.toString().replace(".jsonl", ".summary.json"))),
      "stopped, not ended: " + listing(data));
    assertEquals(1, Jobs.readResults(results.toString()).size(), "the tries still held were not given a line");

    Service again = service(data, new JsonObject().put("stopGraceMs", 500));
    origin.whenHolding(2).await(); // the two held tries are fetched again by the next start
    origin.releaseHeld();
    Await.until(() -> Files.exists(Path.of(results.toString().replace(".jsonl", ".summary.json"))));
    JsonObject summary = Jobs.readSummary(results.toString());
    assertEquals("succeeded", summary.getString("state"), summary.encode());
    assertEquals(3, Jobs.readResults(results.toString()).size());
    assertEquals(1, summary.getInteger("resumed"));
    again.stop();
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void withoutDurableJobsSigtermCancelsRunningJobsAndLeavesEveryResultAndTheSummaryOnDisk() throws Exception {
    Path data = dir.resolve("data");
    Service service = service(data, new JsonObject().put("durable", false));
    String id = service.submit(new JsonObject().put("name", "term").put("requests", new JsonArray()
      .add(origin.url("/page/1")).add(origin.url("/hold")).add(origin.url("/hold"))));
    origin.whenHolding(2).await();
    service.stop();
    Path results = data.resolve("term").resolve(id + ".jsonl");
    assertTrue(Files.exists(Path.of(results.toString().replace(".jsonl", ".summary.json"))),
      "files " + listing(data) + ", log: " + service.log.text());
    JsonObject summary = Jobs.readSummary(results.toString());
    assertEquals("cancelled", summary.getString("state"));
    assertEquals(3, Jobs.readResults(results.toString()).size());
    assertEquals(3, summary.getLong("done"));
    assertTrue(summary.getLong("cancelled") >= 2, summary.encode());
  }

  /** The service as a process on {@code data}, with {@code jobs} settings; ready. */
  private Service service(Path data, JsonObject jobs) throws IOException {
    int port = Processes.freePort();
    JsonObject conf = new JsonObject()
      .put("http", new JsonObject().put("port", port).put("host", "127.0.0.1"))
      .put("politeness", new JsonObject().put("perHost", 100_000).put("adaptive", false))
      .put("fetch", new JsonObject().put("blockPrivateNetworks", false))
      .put("jobs", jobs)
      .put("sink", new JsonObject().put("dir", data.toString()));
    Process process = java("-conf", write("service-" + port + ".json", conf).toString());
    return new Service(process, awaitReady(process), port);
  }

  private final class Service {
    final Process process;
    final ServiceLog log;
    final int port;

    Service(Process process, ServiceLog log, int port) {
      this.process = process;
      this.log = log;
      this.port = port;
    }

    String submit(JsonObject job) {
      return WebClient.create(testVertx.vertx()).post(port, "127.0.0.1", "/jobs").sendJsonObject(job)
        .await().bodyAsJsonObject().getString("id");
    }

    int stop() throws InterruptedException {
      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "exited after SIGTERM");
      return process.exitValue();
    }
  }

  @Test
  void anInvalidJobExitsTwoWithItsProblemsOnOneLine() throws IOException {
    Path jobFile = write("bad.json", new JsonObject().put("name", "bad name").put("requests", new JsonArray().add("ftp://x/")));
    Output output = new Output();
    int code = RunCommand.run(new String[] {jobFile.toString(), "--out", dir.toString()}, output.stream);
    assertEquals(2, code);
    String text = output.text().trim();
    assertEquals(1, text.lines().count(), text);
    assertTrue(text.startsWith("trawl: invalid job: ") && text.contains("name") && text.contains("requests[0]"), text);
  }

  @Test
  void aFailedJobExitsOne() throws IOException {
    Path jobFile = write("fails.json", Jobs.job("fails", origin.url("/status/500"), origin.url("/page/1"))
      .put("mode", "all").put("retry", new JsonObject().put("attempts", 1)));
    Output output = new Output();
    int code = RunCommand.run(new String[] {jobFile.toString(), "--out", dir.toString(), "-conf",
      testConfig().toString()}, output.stream);
    assertEquals(1, code, output.text());
    assertTrue(output.text().contains(" failed:"), output.text());
  }

  @Test
  void aMissingJobFileExitsTwo() {
    Output output = new Output();
    assertEquals(2, RunCommand.run(new String[] {dir.resolve("nope.json").toString()}, output.stream));
    assertTrue(output.text().startsWith("trawl: cannot read job file"), output.text());
  }

  private Path testConfig() throws IOException {
    return write("test-config.json", new JsonObject().put("politeness", new JsonObject().put("perHost", 100_000).put("adaptive", false))
      .put("fetch", new JsonObject().put("blockPrivateNetworks", false)));
  }

  private Path write(String name, JsonObject json) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, json.encodePrettily());
    return file;
  }

  private Process java(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Reads the service's stderr until its ready line, then keeps draining it in the background. */
  /** What the service wrote to stderr after its ready line; {@link #text()} waits for its end. */
  private record ServiceLog(Thread reader, StringBuffer lines) {
    String text() throws InterruptedException {
      reader.join(10_000);
      return lines.toString();
    }
  }

  private static ServiceLog awaitReady(Process service) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(service.getErrorStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      seen.append(line).append('\n');
      if (line.startsWith("trawl: ready")) {
        StringBuffer rest = new StringBuffer();
        Thread drain = new Thread(() -> lines.lines().forEach(l -> rest.append(l).append('\n')));
        drain.setDaemon(true);
        drain.start();
        return new ServiceLog(drain, rest);
      }
    }
    throw new AssertionError("the service exited before it was ready:\n" + seen);
  }

  private static Path onlyFile(Path folder, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> matching = files.filter(p -> p.toString().endsWith(suffix)).toList();
      assertEquals(1, matching.size(), matching.toString());
      return matching.get(0);
    }
  }

  private static String listing(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return "(no " + folder + ")";
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.map(Path::toString).toList().toString();
    }
  }

  private static final class Output {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
