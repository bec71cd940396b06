package dev.trawl.cluster;

import dev.trawl.support.Processes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Two fat-jar processes with one {@code node.id} on one cluster (the shipped {@code cluster.xml},
 * a cluster name of its own): the second exits non-zero with one {@code trawl:} line saying why,
 * and the first goes on alone.
 */
class DuplicateNodeIdProcessIT {

  private static final Path JAR = Path.of("target", "trawl.jar");

  @TempDir
  Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void down() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aSecondNodeWithTheSameNodeIdExitsWithOneLine() throws Exception {
    Path clusterXml = dir.resolve("cluster.xml");
    Files.writeString(clusterXml, Files.readString(Path.of("conf", "cluster.xml"))
      .replace("<cluster-name>trawl</cluster-name>", "<cluster-name>trawl-dup-" + UUID.randomUUID() + "</cluster-name>"));
    int firstPort = Processes.freePort();
    Process first = start(clusterXml, firstPort, "first");
    Processes.awaitReady(first);

    Process second = start(clusterXml, Processes.freePort(), "second");
    List<String> said = trawlLines(second);

    assertNotEquals(0, second.waitFor());
    assertEquals(List.of("trawl: node.id twin is already used by another member of this cluster"),
      said.stream().map(line -> line.replaceFirst(" \\(cluster node .*", "")).toList(), String.join("\n", said));
    JsonObject health = new JsonObject(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
      URI.create("http://127.0.0.1:" + firstPort + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body());
    assertEquals(List.of("twin"), health.getJsonArray("nodes").getList(), "the first node is alone, and serves");
  }

  private Process start(Path clusterXml, int port, String name) throws IOException {
    JsonObject config = new JsonObject()
      .put("node", new JsonObject().put("id", "twin"))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("sink", new JsonObject().put("dir", dir.resolve("data-" + name).toString()));
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dvertx.hazelcast.config=" + clusterXml,
      "-jar", JAR.toString(), "-cluster", "-conf", config.encode());
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(process);
    return process;
  }

  /** Every line of the process's stderr that Trawl itself wrote ({@code trawl: …}), up to its exit. */
  /** The process's {@code trawl:} lines; a stack trace line counts too, so that one shows up as a failure. */
  private static List<String> trawlLines(Process process) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        if (line.startsWith("trawl:") || line.startsWith("\tat ") || line.contains("Failed to deploy")) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

}
