package dev.trawl;

import dev.trawl.support.Jobs;
import dev.trawl.support.Origin;
import dev.trawl.support.TestNode;
import dev.trawl.support.TestVertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With {@code fetch.blockPrivateNetworks} on (as shipped), loopback is refused before connecting. */
@ExtendWith(VertxExtension.class)
class PrivateNetworkGuardIT {

  @TempDir
  Path data;
  private TestVertx testVertx;
  private Origin origin;
  private TestNode node;

  @BeforeEach
  void up() {
    testVertx = new TestVertx();
    origin = new Origin(testVertx.vertx()).start().await();
    node = new TestNode(testVertx.vertx(), data, new JsonObject()
      .put("fetch", new JsonObject().put("blockPrivateNetworks", true))).start().await();
  }

  @AfterEach
  void down() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void loopbackByAddressAndByNameEndsAsBlocked(VertxTestContext ctx) {
    JsonObject job = Jobs.job("guard", origin.url("/page/1"), "http://localhost:" + origin.port() + "/page/2",
      "http://[::1]:" + origin.port() + "/page/3");
    node.submitAndWait(job).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
      List<JsonObject> results = Jobs.readResults(summary.getString("output"));
      assertEquals(3, results.size());
      for (JsonObject result : results) {
        assertEquals("blocked", result.getJsonObject("error").getString("kind"), result.encode());
        assertTrue(result.getJsonObject("error").getString("message").contains("private address"));
      }
      assertEquals(0, origin.hits(), "no connection reached the origin");
      ctx.completeNow();
    })));
  }
}
