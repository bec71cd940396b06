package dev.trawl;

import dev.trawl.support.Await;
import dev.trawl.support.Jobs;
import dev.trawl.support.Origin;
import dev.trawl.support.Processes;
import dev.trawl.support.TestVertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three fat-jar processes clustered on loopback (their own cluster name), with the shipped
 * defaults for failure detection. One fetching node is killed with {@code kill -9} mid-job, and
 * another frozen with {@code SIGSTOP}: every request still ends as exactly one result. Prints
 * one {@code | } line per case, for the figures of the cluster issue.
 */
class ClusterProcessIT {

  private static final Path JAR = Path.of("target", "trawl.jar");
  /** Results whose fetch of a lost node's try may be slow are still bounded by this. */
  private static final long REDISPATCH_LIMIT_MS = 15_000;

  @TempDir
  Path dir;
  private TestVertx testVertx;
  private Origin origin;
  private WebClient client;
  private final Map<String, Process> nodes = new HashMap<>();
  private final Map<String, Integer> ports = new HashMap<>();

  @BeforeEach
  void up() throws IOException {
    testVertx = new TestVertx();
    origin = new Origin(testVertx.vertx()).start().await();
    client = WebClient.create(testVertx.vertx());
    Path clusterXml = dir.resolve("cluster.xml");
    Files.writeString(clusterXml, Files.readString(Path.of("conf", "cluster.xml"))
      .replace("<cluster-name>trawl</cluster-name>", "<cluster-name>trawl-it-" + UUID.randomUUID() + "</cluster-name>"));
    start("A", clusterXml);
    Processes.awaitReady(nodes.get("A"));
    start("B", clusterXml);
    start("C", clusterXml);
    Processes.awaitReady(nodes.get("B"));
    Processes.awaitReady(nodes.get("C"));
    Await.until(() -> health("A").getJsonArray("nodes").size() == 3);
  }

  @AfterEach
  void down() {
    nodes.values().forEach(Process::destroyForcibly);
    testVertx.close();
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void aKilledNodeAndAFrozenNodeLoseNothing() throws Exception {
    JsonObject killed = runWhile("killed", 600, 150, () -> nodes.get("B").destroyForcibly());
    assertTrue(killed.getLong("fetchedByLost") > 0, "B fetched before it was killed: " + killed);

    JsonObject frozen = runWhile("frozen", 400, 100, () -> signal("STOP", nodes.get("C")));
    assertTrue(frozen.getLong("fetchedByLost") > 0, "C fetched before it froze: " + frozen);
    assertTrue(frozen.getLong("lastRefetchAfterMs") < REDISPATCH_LIMIT_MS,
      "a frozen node's tries are fetched again within 15 s: " + frozen);
  }

  /**
   * Runs a job of {@code count} slow requests coordinated by A; once {@code after} results are in,
   * does {@code harm} to B or C. Checks that each request has exactly one result, all of them ok.
   */
  private JsonObject runWhile(String name, int count, int after, Runnable harm) throws Exception {
    int before = origin.arrivals().size();
    String[] urls = origin.urls("/slow/250?" + name + "=", count);
    JsonObject job = Jobs.job(name, urls).put("limits", new JsonObject().put("concurrency", 30));
    String id = client.post(ports.get("A"), "127.0.0.1", "/jobs").sendJsonObject(job).await().bodyAsJsonObject().getString("id");
    Await.until(() -> summary(id).getLong("done") >= after);
    String victim = name.equals("killed") ? "B" : "C";
    long harmedAt = System.nanoTime();
    harm.run();
    Await.until(() -> summary(id).getString("endedAt") != null);

    JsonObject summary = summary(id);
    List<JsonObject> results = Jobs.readResults(summary.getString("output"));
    Map<Long, Long> perIndex = results.stream().collect(Collectors.groupingBy(r -> r.getLong("index"), Collectors.counting()));
    long doubled = perIndex.values().stream().filter(n -> n > 1).count();
    long lost = count - perIndex.size();
    long failed = results.stream().filter(r -> !r.getBoolean("ok")).count();
    Map<String, Long> hitsPerPath = origin.arrivals().subList(before, origin.arrivals().size()).stream()
      .collect(Collectors.groupingBy(Origin.Arrival::uri, Collectors.counting()));
    long fetchedTwice = hitsPerPath.values().stream().filter(n -> n > 1).count();
    long lastRefetchAfterMs = origin.arrivals().subList(before, origin.arrivals().size()).stream()
      .filter(a -> a.nanos() > harmedAt && hitsPerPath.get(a.uri()) > 1)
      .mapToLong(a -> (a.nanos() - harmedAt) / 1_000_000).max().orElse(0);
    long fetchedByLost = results.stream().filter(r -> victim.equals(r.getString("node"))).count();
    System.out.printf("| %s (%s): requests %d, results %d, re-fetched %d (origin saw %d paths twice), lost %d, doubled %d,"
        + " failed %d, fetched by %s before %d, last re-fetch %d ms after, job %d ms%n",
      name, victim, count, results.size(), summary.getLong("refetched"), fetchedTwice, lost, doubled, failed, victim,
      fetchedByLost, lastRefetchAfterMs, summary.getLong("elapsedMs"));

    assertEquals("succeeded", summary.getString("state"), summary.encode());
    assertEquals(count, results.size());
    assertEquals(0, lost);
    assertEquals(0, doubled);
    assertEquals(0, failed, "every request ok");
    assertTrue(summary.getLong("refetched") > 0, "the lost node's tries were fetched again: " + summary.encode());
    return new JsonObject().put("fetchedByLost", fetchedByLost).put("lastRefetchAfterMs", lastRefetchAfterMs);
  }

  private void start(String name, Path clusterXml) throws IOException {
    int port = Processes.freePort();
    ports.put(name, port);
    JsonObject config = new JsonObject()
      .put("node", new JsonObject().put("id", name))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("politeness", new JsonObject().put("perHost", 100_000).put("adaptive", false))
      .put("fetch", new JsonObject().put("blockPrivateNetworks", false).put("robots", "ignore"))
      .put("retry", new JsonObject().put("attempts", 1))
      .put("sink", new JsonObject().put("dir", dir.resolve("data-" + name).toString()).put("flushMs", 100));
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dvertx.hazelcast.config=" + clusterXml,
      "-jar", JAR.toString(), "-cluster", "-conf", config.encode());
    nodes.put(name, new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
  }

  private JsonObject summary(String id) {
    return client.get(ports.get("A"), "127.0.0.1", "/jobs/" + id).send().await().bodyAsJsonObject();
  }

  private JsonObject health(String node) {
    return client.get(ports.get(node), "127.0.0.1", "/health").send().await().bodyAsJsonObject();
  }

  private static void signal(String signal, Process process) {
    try {
      assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

}
