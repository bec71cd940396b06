package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.TestVertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parse bombs under the heap {@code make run} gives the service: the fat jar runs a job of four
 * 9 MiB JSON bombs ({@code [{},{},…]}, ~180 MiB parsed) and four 9 MiB DOM bombs
 * ({@code <p></p>…}, ~47 MiB parsed) at once with {@code -Xmx128m}. Every request ends as a result
 * ({@code ok}, {@code too_large} or {@code parse}), and the process exits as a job ends (0 or 1),
 * not on an {@link OutOfMemoryError} ({@code -XX:+ExitOnOutOfMemoryError} would exit 3).
 */
class ParseBombIT {

  private static final Path JAR = Path.of("target", "trawl.jar");
  private static final int BOMB_BYTES = 9 << 20;

  @TempDir
  Path dir;
  private TestVertx testVertx;
  private HttpServer bombs;

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    Buffer json = bomb("[", "{},", "{}]");
    Buffer html = bomb("<html><body>", "<p></p>", "</body></html>");
    bombs = testVertx.vertx().createHttpServer().requestHandler(req -> {
      boolean isJson = req.path().startsWith("/json-bomb/");
      req.response().putHeader("Content-Type", isJson ? "application/json" : "text/html; charset=utf-8")
        .end(isJson ? json : html);
    }).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void down() {
    testVertx.close();
  }

  /** {@code head}, {@code unit} repeated, {@code tail}: {@link #BOMB_BYTES} at most. */
  private static Buffer bomb(String head, String unit, String tail) {
    StringBuilder text = new StringBuilder(BOMB_BYTES).append(head);
    while (text.length() + unit.length() + tail.length() <= BOMB_BYTES) {
      text.append(unit);
    }
    return Buffer.buffer(text.append(tail).toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Timeout(value = 170, unit = TimeUnit.SECONDS)
  void fourJsonAndFourDomBombsAtOnceEndAsResultsUnder128MiB() throws Exception {
    JsonArray requests = new JsonArray();
    for (int i = 0; i < 4; i++) {
      requests.add(url("/json-bomb/" + i)).add(url("/dom-bomb/" + i));
    }
    Path job = write("job.json", new JsonObject().put("name", "bombs").put("requests", requests)
      .put("limits", new JsonObject().put("concurrency", 8).put("perHost", 8))
      .put("timeouts", new JsonObject().put("totalMs", 120_000)));
    Path conf = write("conf.json", new JsonObject().put("fetch", new JsonObject()
      .put("blockPrivateNetworks", false).put("robots", "ignore").put("maxBodyBytes", 10 << 20)));
    Path out = dir.resolve("out");
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-XX:+UseSerialGC", "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-jar", JAR.toString(),
      "run", job.toString(), "--out", out.toString(), "-conf", conf.toString())
      .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(150, TimeUnit.SECONDS));
    assertFalse(stderr.contains("OutOfMemoryError"), stderr);
    assertTrue(Set.of(0, 1).contains(process.exitValue()), "exit " + process.exitValue() + ": " + stderr);

    List<JsonObject> results = Jobs.readResults(onlyResults(out.resolve("bombs")).toString());
    assertEquals(8, results.size(), stderr);
    for (JsonObject result : results) {
      String kind = result.getBoolean("ok") ? "ok" : result.getJsonObject("error").getString("kind");
      assertTrue(Set.of("ok", "too_large", "parse").contains(kind), result.encode());
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + bombs.actualPort() + path;
  }

  private Path write(String name, JsonObject json) throws IOException {
    return Files.writeString(dir.resolve(name), json.encodePrettily());
  }

  private static Path onlyResults(Path jobDir) throws IOException {
    try (Stream<Path> files = Files.list(jobDir)) {
      List<Path> found = files.filter(p -> p.toString().endsWith(".jsonl")).toList();
      assertEquals(1, found.size(), found.toString());
      return found.get(0);
    }
  }
}
