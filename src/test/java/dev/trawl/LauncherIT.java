package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.Origin;
import dev.trawl.support.TestVertx;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/trawl}, the launcher: which JDK it picks, which flags for which mode, which cache;
 * and a real job run through it on the JDK running the tests (17 in CI), to its files.
 */
class LauncherIT {

  private static final Path LAUNCHER = Path.of("bin", "trawl").toAbsolutePath();

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
  void aJobRunsThroughTheLauncherOnTheTestsJdk() throws Exception {
    JsonArray requests = new JsonArray();
    for (int i = 0; i < 40; i++) {
      requests.add(origin.url("/page/" + i));
    }
    Path job = write("job.json", new JsonObject().put("name", "launched").put("requests", requests)
      .put("parse", new JsonObject().put("fields", new JsonObject().put("title", "h1"))));
    Path out = dir.resolve("out");
    Run run = launch(Map.of("JAVA_HOME", System.getProperty("java.home"),
        "TRAWL_FETCH_BLOCK_PRIVATE_NETWORKS", "false", "TRAWL_POLITENESS_PER_HOST", "100"),
      "run", job.toString(), "--out", out.toString());
    assertEquals(0, run.code(), run.stderr());
    List<JsonObject> results;
    try (Stream<Path> files = Files.list(out.resolve("launched"))) {
      Path file = files.filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
      results = Jobs.readResults(file.toString());
    }
    assertEquals(40, results.size());
    assertTrue(results.stream().allMatch(r -> r.getBoolean("ok") && r.getJsonObject("data").getString("title") != null));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void javaHomeWinsOverEveryOtherJdk() throws Exception {
    Path jdks = dir.resolve("jdks");
    Path home17 = fakeJdk(jdks.resolve("jdk-17"), "17.0.9", "17.0.9+9");
    fakeJdk(jdks.resolve("jdk-25"), "25.0.1", "25.0.1+8-LTS");
    String command = print(Map.of("JAVA_HOME", home17.toString(), "TRAWL_JDK_DIRS", jdks.toString()), "run", "job.json");
    assertTrue(command.startsWith(home17.resolve("bin/java") + " "), command);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void withoutJavaHomeTheNewestJdkOf25OrLaterIsChosen() throws Exception {
    Path jdks = dir.resolve("jdks");
    fakeJdk(jdks.resolve("jdk-17"), "17.0.9", "17.0.9+9");
    fakeJdk(jdks.resolve("jdk-25"), "25.0.1", "25.0.1+8-LTS");
    Path newest = fakeJdk(jdks.resolve("jdk-26"), "26", "26+35");
    fakeJdk(jdks.resolve("jdk-21"), "21.0.5", "21.0.5+11");
    String command = print(Map.of("TRAWL_JDK_DIRS", jdks.toString()), "run", "job.json");
    assertTrue(command.startsWith(newest.resolve("bin/java") + " "), command);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void withNoJdk25TheJavaOnThePathRunsIt() throws Exception {
    Path jdks = dir.resolve("jdks");
    fakeJdk(jdks.resolve("jdk-21"), "21.0.5", "21.0.5+11");
    String command = print(Map.of("TRAWL_JDK_DIRS", jdks.toString()), "run", "job.json");
    assertTrue(command.startsWith("java "), command);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aOneShotRunStopsAtC1AndTheServiceDoesNot() throws Exception {
    Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"));
    String oneShot = print(env, "run", "job.json", "--out", "some dir");
    assertTrue(oneShot.contains("-XX:TieredStopAtLevel=1") && oneShot.contains("-Xmx96m"), oneShot);
    assertTrue(oneShot.endsWith("-jar " + Path.of("target", "trawl.jar").toAbsolutePath() + " run job.json --out some dir"), oneShot);
    String service = print(env, "-conf", "conf/config.json", "-cluster");
    assertFalse(service.contains("TieredStopAtLevel"), service);
    assertTrue(service.contains("-Xmx128m") && service.contains("-XX:+UseSerialGC"), service);
    assertTrue(service.endsWith(" -conf conf/config.json -cluster"), service);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void theUsersOptionsComeLastSoTheyWin() throws Exception {
    String command = print(Map.of("JAVA_HOME", System.getProperty("java.home"), "TRAWL_JAVA_OPTS", "-Xmx512m"), "run", "job.json");
    assertTrue(command.indexOf("-Xmx512m") > command.indexOf("-Xmx96m"), command);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void theCacheOfTheChosenJdkIsMappedOnlyWhenItExists() throws Exception {
    Path jdks = dir.resolve("jdks");
    Path home25 = fakeJdk(jdks.resolve("jdk-25"), "25.0.1", "25.0.1+8-LTS");
    Map<String, String> env = Map.of("JAVA_HOME", home25.toString());
    Path cache = Path.of(launch(env, "--cache-file").stdout().trim());
    assertEquals("trawl-25.0.1+8-LTS.aot", cache.getFileName().toString());
    Path home17 = fakeJdk(jdks.resolve("jdk-17"), "17.0.9", "17.0.9+9");
    assertEquals("trawl-17.0.9+9.jsa", Path.of(launch(Map.of("JAVA_HOME", home17.toString()), "--cache-file").stdout().trim())
      .getFileName().toString());
    boolean existed = Files.exists(cache);
    try {
      Files.createDirectories(cache.getParent());
      Files.write(cache, new byte[0]);
      assertTrue(print(env, "run", "job.json").contains("-XX:AOTCache=" + cache + " "));
      Files.delete(cache);
      assertFalse(print(env, "run", "job.json").contains("AOTCache"));
    } finally {
      if (!existed) {
        Files.deleteIfExists(cache);
      }
    }
  }

  /** A folder that looks like a JDK home to the launcher: a release file and an executable bin/java. */
  private static Path fakeJdk(Path home, String version, String runtime) throws IOException {
    Files.createDirectories(home.resolve("bin"));
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\"" + runtime
      + "\"\nJAVA_VERSION=\"" + version + "\"\n");
    Path java = home.resolve("bin").resolve("java");
    Files.writeString(java, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  private String print(Map<String, String> env, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--print"));
    all.addAll(List.of(args));
    Run run = launch(env, all.toArray(String[]::new));
    assertEquals(0, run.code(), run.stderr());
    return run.stdout().trim();
  }

  private record Run(int code, String stdout, String stderr) {
  }

  private Run launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile());
    builder.environment().remove("JAVA_HOME");
    builder.environment().remove("TRAWL_JAVA_OPTS");
    builder.environment().putAll(env);
    Process process = builder.start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(50, TimeUnit.SECONDS), "the launcher did not end");
    return new Run(process.exitValue(), stdout, Files.readString(dir.resolve("stderr.txt")));
  }

  private Path write(String name, JsonObject json) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, json.encodePrettily());
    return file;
  }
}
