package dev.trawl;

import dev.trawl.support.Await;
import dev.trawl.support.CrawlSite;
import dev.trawl.support.Jobs;
import dev.trawl.support.NodeProcess;
import dev.trawl.support.Origin;
import dev.trawl.support.TestVertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Durable jobs (issue 14), with the node as a real process: killed with {@code kill -9} mid-job,
 * stopped with SIGTERM, paused across a restart, and started again on the same directory. Every
 * request ends as exactly one line, {@code seq} runs 0..N-1, and the summary counts the file.
 */
class DurableJobsIT {

  @TempDir
  Path dir;
  private TestVertx testVertx;
  private Origin origin;
  private WebClient client;
  private final List<NodeProcess> nodes = new ArrayList<>();

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    origin = new Origin(testVertx.vertx()).start().await();
    client = WebClient.create(testVertx.vertx());
  }

  @AfterEach
  void down() {
    nodes.forEach(NodeProcess::close);
    testVertx.close();
  }

  private NodeProcess node() {
    JsonObject config = new JsonObject()
      .put("politeness", new JsonObject().put("perHost", 100_000).put("adaptive", false))
      .put("fetch", new JsonObject().put("blockPrivateNetworks", false).put("robots", "ignore"))
      .put("jobs", new JsonObject().put("requestsFileDir", dir.toString()).put("stopGraceMs", 5000))
      .put("retry", new JsonObject().put("attempts", 1))
      .put("sink", new JsonObject().put("dir", dir.resolve("data").toString()).put("flushMs", 100));
    NodeProcess node = new NodeProcess(client, config, dir.resolve("node-" + nodes.size() + ".log"));
    nodes.add(node);
    return node;
  }

  private JsonObject slowJob(String name, int count, int ms) {
    return Jobs.job(name, origin.urls("/slow/" + ms + "?" + name + "=", count))
      .put("limits", new JsonObject().put("concurrency", 8));
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aKilledNodeResumesItsJobAndEveryRequestEndsOnce() throws Exception {
    NodeProcess node = node().start();
    String id = node.submit(slowJob("killed", 300, 40));
    Await.until(() -> node.summary(id).getLong("done") >= 100);
    node.kill();
    node.start();

    JsonObject resumed = node.summary(id);
    assertTrue(resumed.getLong("done") >= 100, "what was written before the kill counts: " + resumed);
    JsonObject summary = node.awaitEnd(id);
    assertExactlyOnce(summary, 300);
    assertEquals("succeeded", summary.getString("state"));
    assertEquals(1, summary.getInteger("resumed"));
    long fetchedTwice = fetchedTwice("killed");
    // In flight at the kill: at most the job's concurrency, plus answers whose lines were not
    // written yet. refetched counts the tries whose start reached the journal (all but the last
    // few milliseconds' worth).
    assertTrue(fetchedTwice <= 16, "only tries in flight at the kill are fetched again: " + fetchedTwice);
    // refetched counts tries started and without a line: some had not reached the server yet.
    assertTrue(summary.getLong("refetched") > 0 && summary.getLong("refetched") <= 16, summary.encode());
    assertFalse(Files.exists(Path.of(JobFiles.base(summary) + ".job.json")), "an ended job leaves only its summary");
    assertFalse(Files.exists(Path.of(JobFiles.base(summary) + ".journal")));
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void twentyKillsAtRandomMomentsLoseNothingAndDoubleNothing() throws Exception {
    NodeProcess node = node().start();
    int count = 600;
    String id = node.submit(slowJob("loop", count, 30));
    Random random = new Random(14);
    for (int kill = 0; kill < 20; kill++) {
      long before = node.summary(id).getLong("done");
      if (before >= count) {
        break;
      }
      long at = Math.min(count, before + 1 + random.nextInt(25));
      Await.until(() -> node.summary(id).getLong("done") >= at);
      node.kill();
      node.start();
    }
    JsonObject summary = node.awaitEnd(id);
    assertExactlyOnce(summary, count);
    assertEquals("succeeded", summary.getString("state"));
    assertTrue(summary.getInteger("resumed") >= 10, "resumed after the kills: " + summary);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void sigtermStopsTheJobToBeResumedNotCancelled() throws Exception {
    NodeProcess node = node().start();
    String id = node.submit(slowJob("term", 200, 40));
    Await.until(() -> node.summary(id).getLong("done") >= 50);
    int exit = node.stop();
    assertTrue(exit == 0 || exit == 143, "a node stopped with SIGTERM exits as the JVM does on it: " + exit);
    assertFalse(Files.exists(dir.resolve("data").resolve("term").resolve(id + ".summary.json")), "a stop is not an end");
    node.start();
    JsonObject summary = node.awaitEnd(id);
    assertExactlyOnce(summary, 200);
    assertEquals("succeeded", summary.getString("state"));
    assertEquals(0, summary.getLong("cancelled"), "nothing was cancelled by the stop: " + summary);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aPausedJobStaysPausedAcrossARestartUntilResumed() throws Exception {
    NodeProcess node = node().start();
    String id = node.submit(slowJob("paused", 200, 40));
    Await.until(() -> node.summary(id).getLong("done") >= 30);
    var paused = node.post(id, "pause");
    assertEquals(200, paused.statusCode(), paused.bodyAsString());
    assertEquals("paused", paused.bodyAsJsonObject().getString("state"));
    assertEquals(409, node.post(id, "pause").statusCode(), "pausing a paused job does not apply");
    node.kill();
    node.start();

    JsonObject after = node.summary(id);
    assertEquals("paused", after.getString("state"), after.encode());
    int arrivals = origin.arrivals().size();
    long done = after.getLong("done");
    // A paused job starts nothing, while another job on the node runs to its end meanwhile.
    int otherArrivals = 20;
    String other = node.submit(slowJob("other", otherArrivals, 40));
    assertEquals("succeeded", node.awaitEnd(other).getString("state"));
    assertEquals(done, node.summary(id).getLong("done"));
    arrivals += otherArrivals;
    assertEquals(arrivals, origin.arrivals().size(), "a paused job fetches nothing");

    var resumed = node.post(id, "resume");
    assertEquals(200, resumed.statusCode(), resumed.bodyAsString());
    assertEquals("running", resumed.bodyAsJsonObject().getString("state"));
    JsonObject summary = node.awaitEnd(id);
    assertExactlyOnce(summary, 200);
    assertEquals(409, node.post(id, "resume").statusCode(), "an ended job cannot be resumed");
    assertEquals(404, node.post("no-such-job", "pause").statusCode());
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aRequestsFileJobResumesWhereItsFileLeftOff() throws Exception {
    Path file = dir.resolve("urls.txt");
    Files.write(file, List.of(origin.urls("/slow/30?file=", 300)));
    NodeProcess node = node().start();
    String id = node.submit(new JsonObject().put("name", "file").put("requestsFile", file.toString())
      .put("limits", new JsonObject().put("concurrency", 8)));
    Await.until(() -> node.summary(id).getLong("done") >= 120);
    node.kill();
    node.start();
    JsonObject summary = node.awaitEnd(id);
    assertExactlyOnce(summary, 300);
    assertTrue(fetchedTwice("file") <= 16, "only what was in flight is fetched again");
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aCrawlResumesWithItsFrontierAndSeenSet() throws Exception {
    CrawlSite site = new CrawlSite(testVertx.vertx(), 10, 40).start().await();
    NodeProcess node = node().start();
    JsonObject crawl = new JsonObject().put("name", "crawl").put("requests", new JsonArray().add(site.url("/")))
      .put("follow", new JsonObject().put("maxDepth", 3))
      .put("limits", new JsonObject().put("concurrency", 2).put("perHost", 2).put("perHostDelayMs", 5));
    String id = node.submit(crawl);
    Await.until(() -> node.summary(id).getLong("done") >= 120);
    node.kill();
    node.start();
    JsonObject summary = node.awaitEnd(id);
    assertExactlyOnce(summary, site.pages());
    long twice = site.allHits().entrySet().stream().filter(e -> e.getKey().startsWith("/p/") || e.getKey().startsWith("/c/"))
      .filter(e -> e.getValue().get() > 1).count();
    // In flight (concurrency 2), or answered with the line still in the sink's batch at the kill.
    assertTrue(twice <= 4, "only pages in flight at the kill are fetched twice: " + twice);
  }

  @ParameterizedTest(name = "mode {0}")
  @ValueSource(strings = {"join", "all", "any", "first"})
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void eachModeKeepsItsDecisionAcrossAKill(String mode) throws Exception {
    NodeProcess node = node().start();
    List<String> urls = new ArrayList<>(List.of(origin.urls("/slow/40?" + mode + "=", 150)));
    urls.set(60, origin.url("/status/500?" + mode));
    JsonObject job = Jobs.job("mode-" + mode, urls.toArray(String[]::new)).put("mode", mode)
      .put("limits", new JsonObject().put("concurrency", 4));
    String id = node.submit(job);
    Await.until(() -> node.summary(id).getLong("done") >= 40 || node.summary(id).getString("endedAt") != null);
    node.kill();
    node.start();
    JsonObject summary = node.awaitEnd(id);
    List<JsonObject> lines = assertExactlyOnce(summary, 150);
    JsonObject seq0 = lines.stream().filter(l -> l.getLong("seq") == 0).findFirst().orElseThrow();
    boolean anyOk = lines.stream().anyMatch(l -> l.getBoolean("ok"));
    boolean anyFailure = lines.stream().anyMatch(l -> !l.getBoolean("ok") && !"cancelled".equals(l.getJsonObject("error").getString("kind")));
    String expected = switch (mode) {
      case "join" -> "succeeded";
      case "all" -> anyFailure ? "failed" : "succeeded";
      case "any" -> anyOk ? "succeeded" : "failed";
      default -> seq0.getBoolean("ok") ? "succeeded" : "failed";
    };
    assertEquals(expected, summary.getString("state"), summary.encode());
    if (!mode.equals("join") && !mode.equals("all")) {
      assertNotNull(summary.getJsonObject("winner"), summary.encode());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theCliKilledAndRunAgainWithTheSameOutResumesTheSameJob() throws Exception {
    Path jobFile = dir.resolve("job.json");
    Files.writeString(jobFile, slowJob("cli", 200, 40).encode());
    Path out = dir.resolve("out");
    Path conf = dir.resolve("cli.json");
    Files.writeString(conf, new JsonObject().put("politeness", new JsonObject().put("perHost", 100_000).put("adaptive", false))
      .put("fetch", new JsonObject().put("blockPrivateNetworks", false)
      .put("robots", "ignore")).encode());
    Process first = cli(jobFile, out, conf);
    Await.until(() -> resultLines(out) >= 60);
    first.destroyForcibly();
    first.waitFor();

    Process again = cli(jobFile, out, conf);
    String stderr = new String(again.getErrorStream().readAllBytes());
    assertEquals(0, again.waitFor(), stderr);
    assertTrue(stderr.contains("resuming job ") && stderr.contains(" of 200 done"), stderr);
    Path results = resultsFile(out);
    JsonObject summary = Jobs.readSummary(results.toString()).put("output", results.toString());
    assertExactlyOnce(summary, 200);
    assertTrue(stderr.contains("resuming job " + summary.getString("id")), "the same id: " + stderr);

    Path other = dir.resolve("other.json");
    Files.writeString(other, slowJob("cli", 5, 1).encode());
    Process refused = cli(other, out, conf);
    assertEquals(0, refused.waitFor(), "the job in out has ended: a new one may start there");

    Process killedAgain = cli(jobFile, dir.resolve("out2"), conf);
    Await.until(() -> resultLines(dir.resolve("out2")) >= 10);
    killedAgain.destroyForcibly();
    killedAgain.waitFor();
    Process mixed = cli(other, dir.resolve("out2"), conf);
    String mixedErr = new String(mixed.getErrorStream().readAllBytes()).trim();
    assertEquals(2, mixed.waitFor(), mixedErr);
    assertEquals(1, mixedErr.lines().count(), "one line: " + mixedErr);
    assertTrue(mixedErr.contains("--fresh"), mixedErr);
    Process fresh = cli(other, dir.resolve("out2"), conf, "--fresh");
    String freshErr = new String(fresh.getErrorStream().readAllBytes());
    assertEquals(0, fresh.waitFor(), freshErr);
    assertFalse(freshErr.contains("resuming"), freshErr);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theDemoInTheSameDirectoryLeavesAStoppedServicesJobsAlone() throws Exception {
    NodeProcess node = node().start();
    String id = node.submit(slowJob("service", 100, 40));
    Await.until(() -> node.summary(id).getLong("done") >= 20);
    node.kill();
    Path record = dir.resolve("data").resolve("service").resolve(id + ".job.json");
    assertTrue(Files.exists(record));

    Path conf = dir.resolve("demo.json");
    Files.writeString(conf, new JsonObject().put("sink", new JsonObject().put("dir", dir.resolve("data").toString()))
      .encode());
    Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-jar", "target/trawl.jar", "demo", "-conf", conf.toString())
      .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertEquals(0, demo.waitFor());
    assertTrue(Files.exists(record), "the demo neither ran nor removed the service's job");

    node.start();
    assertExactlyOnce(node.awaitEnd(id), 100);
  }

  private static Process cli(Path jobFile, Path out, Path conf, String... more) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", "target/trawl.jar", "run", jobFile.toString(),
      "--out", out.toString(), "-conf", conf.toString()));
    command.addAll(List.of(more));
    return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static long resultLines(Path out) {
    try {
      Path file = resultsFile(out);
      return file == null ? 0 : Files.readAllLines(file).size();
    } catch (IOException e) {
      return 0;
    }
  }

  /** The one results file under {@code out} (null before there is one). */
  private static Path resultsFile(Path out) throws IOException {
    if (!Files.isDirectory(out.resolve("cli"))) {
      return null;
    }
    try (var files = Files.list(out.resolve("cli"))) {
      return files.filter(f -> f.toString().endsWith(".jsonl")).findFirst().orElse(null);
    }
  }

  /** The file holds one line per request, seq 0..N-1, and the summary counts exactly what it holds. */
  private static List<JsonObject> assertExactlyOnce(JsonObject summary, int requests) {
    List<JsonObject> lines = Jobs.readResults(summary.getString("output"));
    assertEquals(requests, lines.size(), "one line per request: " + summary);
    Map<Long, Long> perIndex = lines.stream().collect(Collectors.groupingBy(l -> l.getLong("index"), Collectors.counting()));
    assertEquals(requests, perIndex.size(), "no request twice, none missing");
    List<Long> seqs = lines.stream().map(l -> l.getLong("seq")).sorted().toList();
    for (int i = 0; i < requests; i++) {
      assertEquals(i, seqs.get(i), "seq runs 0..N-1 without gap or repeat");
    }
    long ok = lines.stream().filter(l -> l.getBoolean("ok")).count();
    long cancelled = lines.stream().filter(l -> !l.getBoolean("ok") && "cancelled".equals(l.getJsonObject("error").getString("kind"))).count();
    assertEquals(requests, summary.getLong("total"));
    assertEquals(requests, summary.getLong("done"));
    assertEquals(ok, summary.getLong("ok"), summary.encode());
    assertEquals(cancelled, summary.getLong("cancelled"), summary.encode());
    assertEquals(requests - ok - cancelled, summary.getLong("failed"), summary.encode());
    assertEquals(summary.getString("state"), Jobs.readSummary(summary.getString("output")).getString("state"));
    return lines;
  }

  /** How many of the job's URLs the origin was asked for more than once. */
  private long fetchedTwice(String name) {
    return origin.arrivals().stream().filter(a -> a.uri().contains("?" + name + "="))
      .collect(Collectors.groupingBy(Origin.Arrival::uri, Collectors.counting()))
      .values().stream().filter(n -> n > 1).count();
  }

  /** Where a job's files are. */
  private static final class JobFiles {
    static String base(JsonObject summary) {
      return summary.getString("output").replaceFirst("\\.jsonl$", "");
    }

  }
}
