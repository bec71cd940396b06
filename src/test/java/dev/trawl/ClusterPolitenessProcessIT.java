package dev.trawl;

import dev.trawl.support.Await;
import dev.trawl.support.Jobs;
import dev.trawl.support.Processes;
import dev.trawl.support.TestVertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Host limits exact across a cluster of two fat-jar processes (issue 15): a job submitted to each
 * node, both fetched by both, on one host with {@code politeness.perHost: 2}.
 */
class ClusterPolitenessProcessIT {

  private static final Path JAR = Path.of("target", "trawl.jar");

  @TempDir
  Path dir;
  private final List<Process> nodes = new ArrayList<>();
  private TestVertx testVertx;

  @AfterEach
  void down() {
    nodes.forEach(Process::destroyForcibly);
    if (testVertx != null) {
      testVertx.close();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void twoNodeProcessesKeepOneHostUnderItsSharedLimit() throws Exception {
    testVertx = new TestVertx();
    AtomicInteger now = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    HttpServer host = testVertx.vertx().createHttpServer().requestHandler(request -> {
      max.accumulateAndGet(now.incrementAndGet(), Math::max);
      testVertx.vertx().setTimer(30, id -> {
        now.decrementAndGet();
        request.response().end("x");
      });
    }).listen(0, "127.0.0.1").await();
    Path clusterXml = dir.resolve("cluster.xml");
    Files.writeString(clusterXml, Files.readString(Path.of("conf", "cluster.xml"))
      .replace("<cluster-name>trawl</cluster-name>", "<cluster-name>trawl-it-" + UUID.randomUUID() + "</cluster-name>"));
    int[] ports = {Processes.freePort(), Processes.freePort()};
    start("A", ports[0], clusterXml);
    start("B", ports[1], clusterXml);
    WebClient client = WebClient.create(testVertx.vertx());
    Await.until(() -> client.get(ports[0], "127.0.0.1", "/health").send().await().bodyAsJsonObject()
      .getJsonArray("nodes").size() == 2);

    List<io.vertx.core.Future<JsonObject>> jobs = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      String[] urls = new String[60];
      for (int i = 0; i < urls.length; i++) {
        urls[i] = "http://127.0.0.1:" + host.actualPort() + "/" + n + "/" + i;
      }
      JsonObject job = Jobs.job("job" + n, urls).put("limits", new JsonObject().put("concurrency", 8));
      jobs.add(client.post(ports[n], "127.0.0.1", "/jobs?wait=true").sendJsonObject(job).map(r -> r.bodyAsJsonObject()));
    }
    for (var job : jobs) {
      assertEquals(60, job.await().getLong("ok"));
    }
    System.out.printf("| cluster politeness, two fat-jar nodes: peak at the host %d (perHost 2) |%n", max.get());
    assertEquals(2, max.get(), "the host never saw more than its 2");
  }

  private void start(String name, int port, Path clusterXml) throws IOException {
    JsonObject config = new JsonObject()
      .put("node", new JsonObject().put("id", name))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("fetch", new JsonObject().put("blockPrivateNetworks", false).put("robots", "ignore"))
      .put("politeness", new JsonObject().put("perHost", 2).put("adaptive", false))
      .put("sink", new JsonObject().put("dir", dir.resolve("data-" + name).toString()).put("flushMs", 100));
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dvertx.hazelcast.config=" + clusterXml,
      "-jar", JAR.toString(), "-cluster", "-conf", config.encode());
    Process node = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    nodes.add(node);
    Processes.awaitReady(node);
  }
}
