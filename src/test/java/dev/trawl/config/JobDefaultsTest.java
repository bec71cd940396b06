package dev.trawl.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobDefaultsTest {

  @Test
  void withoutAConfigAJobFallsBackToConfigDefaults() {
    JobDefaults expected = new JobDefaults(new Limits(64, 0, 0), new Timeouts(5000, 10_000, 30_000),
      new RetryPolicy(3, 250, List.of("timeout", "connect", "429", "5xx")));
    assertEquals(expected, JobDefaults.of(ConfigLoader.effective(new JsonObject(), Map.of())));
  }

  @Test
  void theNodeSectionsReplaceTheDefaultsKeyByKey() {
    JsonObject file = new JsonObject().put("limits", new JsonObject().put("perHost", 2));
    assertEquals(new Limits(64, 2, 0), JobDefaults.of(ConfigLoader.effective(file, Map.of())).limits());
  }

  @Test
  void aRetryClassGivenAsANumberIsReadAsItsText() {
    TrawlConfig config = ConfigLoader.effective(new JsonObject(), Map.of("TRAWL_RETRY_ON", "[503, \"timeout\"]"));
    assertEquals(List.of("503", "timeout"), JobDefaults.of(config).retry().on());
  }

  @Test
  void anOutOfRangeSectionIsAConfigProblem() {
    JsonObject file = new JsonObject().put("timeouts", new JsonObject().put("totalMs", 0));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.effective(file, Map.of()));
    assertTrue(e.getMessage().contains("timeouts.totalMs: must be between 1 and 3600000"), e.getMessage());
  }
}
