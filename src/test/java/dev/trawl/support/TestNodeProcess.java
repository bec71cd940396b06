package dev.trawl.support;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A whole Trawl node as a process of its own ({@code java -jar target/trawl.jar -conf …}, the jar
 * {@code package} builds before failsafe runs), with {@link TestNode}'s test config. For tests whose
 * node must not share the test JVM: its resident memory is then its own, and its event loops and
 * garbage collector do not stall the test's. It is driven from the test thread, with the JDK's HTTP
 * client: nothing of it runs on the test's event loops.
 */
public final class TestNodeProcess implements AutoCloseable {

  private static final Path JAR = Path.of("target", "trawl.jar");

  private final int apiPort;
  private final Process process;
  private final HttpClient api = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private TestNodeProcess(int apiPort, Process process) {
    this.apiPort = apiPort;
    this.process = process;
  }

  /** Starts the node and returns once it says it is ready. */
  public static TestNodeProcess start(Path dataDir, JsonObject overrides, List<String> jvmOptions) throws IOException {
    int apiPort = Processes.freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString(), "-conf", TestNode.testConfig(apiPort, dataDir, overrides).encode()));
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    TestNodeProcess node = new TestNodeProcess(apiPort, process);
    try {
      Processes.awaitReady(process);
    } catch (IOException | AssertionError e) {
      node.close();
      throw e;
    }
    return node;
  }

  /** Submits {@code job} with {@code ?wait=true}: its summary, once it has ended. */
  public JsonObject submitAndWait(JsonObject job) throws IOException, InterruptedException {
    HttpRequest submit = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/jobs?wait=true"))
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(job.encode())).build();
    return new JsonObject(api.send(submit, HttpResponse.BodyHandlers.ofString()).body());
  }

  /** A {@code kB} field of the process's {@code /proc/<pid>/status}: {@code VmRSS} now, {@code VmHWM} its peak. */
  public long residentKib(String field) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
        .filter(line -> line.startsWith(field + ":"))
        .map(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + field + " in the status of process " + process.pid()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the process and waits until it is gone, so that its port and files are free again. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
