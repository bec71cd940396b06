package dev.trawl.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Each per-feature record reads the keys its Javadoc names. */
class SettingsTest {

  private static final TrawlConfig CONFIG = ConfigLoader.effective(new JsonObject()
    .put("node", new JsonObject().put("id", "n1"))
    .put("cluster", new JsonObject().put("heartbeatMs", 200).put("nodeTimeoutMs", 900))
    .put("http", new JsonObject().put("enabled", false).put("host", "127.0.0.1").put("port", 9000)
      .put("token", "s3cret").put("maxBodyBytes", 2048))
    .put("fetch", new JsonObject().put("verticles", 3).put("maxInFlight", 50).put("maxRetryAfterMs", 7000)
      .put("userAgent", "ua/1").put("robots", "ignore"))
    .put("jobs", new JsonObject().put("maxRequests", 99).put("maxConcurrent", 4).put("keepFinished", 5)
      .put("requestsFileDir", "/srv/in"))
    .put("queue", new JsonObject().put("capacity", 6))
    .put("sink", new JsonObject().put("dir", "out").put("flushMs", 250))
    .put("limits", new JsonObject().put("concurrency", 8)), Map.of());

  @Test
  void httpSettingsReadHttpAndTheNodeId() {
    assertEquals(new HttpSettings(false, "127.0.0.1", 9000, "s3cret", false, 2048, "n1"), HttpSettings.from(CONFIG));
  }

  @Test
  void httpSettingsNeverPrintTheToken() {
    assertFalse(HttpSettings.from(CONFIG).toString().contains("s3cret"));
  }

  @Test
  void sinkSettingsReadSinkAndTheNodeId() {
    assertEquals(new SinkSettings("out", 250, "n1"), SinkSettings.from(CONFIG));
  }

  @Test
  void clusterSettingsReadClusterAndTheNodeId() {
    assertEquals(new ClusterSettings("n1", 200, 900), ClusterSettings.from(CONFIG));
  }

  @Test
  void jobSettingsReadJobsQueueFetchSinkAndTheJobDefaults() {
    JobDefaults defaults = new JobDefaults(new Limits(8, 0, 0), new Timeouts(5000, 10_000, 30_000),
      new RetryPolicy(3, 250, List.of("timeout", "connect", "429", "5xx")));
    JobSettings expected = new JobSettings(99, 4, 5, "/srv/in", 6, 7000, "ignore", 50, 3, "n1", "ua/1", "out", defaults,
      true, 10_000, List.of(), false);
    assertEquals(expected, JobSettings.from(CONFIG));
  }

  @ParameterizedTest(name = "requestsFileDir \"{0}\" allows {1}: {2}")
  @CsvSource({
    "'',      /etc/urls.txt,     true",
    "/srv/in, /srv/in/urls.txt,  true",
    "/srv/in, /etc/urls.txt,     false"})
  void aRequestsFileMustLieInRequestsFileDirUnlessThatIsEmpty(String dir, String file, boolean allowed) {
    JobSettings settings = JobSettings.from(ConfigLoader.effective(
      new JsonObject().put("jobs", new JsonObject().put("requestsFileDir", dir)), Map.of()));
    assertEquals(allowed, settings.allowsRequestsFile(file));
  }
}
