package dev.trawl.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What most integration tests share: a strict test Vert.x, the named-route {@link Origin}, and a
 * whole Trawl node configured by {@link #nodeConfig()}; a test fails if an event loop was blocked.
 */
@ExtendWith(VertxExtension.class)
public abstract class NodeIT {

  @TempDir
  protected Path data;
  protected TestVertx testVertx;
  protected Vertx vertx;
  protected Origin origin;
  protected TestNode node;

  /** Config on top of {@link TestNode}'s test defaults. */
  protected JsonObject nodeConfig() {
    return new JsonObject();
  }

  @BeforeEach
  void startNode() {
    testVertx = new TestVertx();
    vertx = testVertx.vertx();
    origin = new Origin(vertx).start().await();
    node = new TestNode(vertx, data, nodeConfig()).start().await();
  }

  @AfterEach
  void stopNode() {
    List<String> blocked = testVertx.blockedWarnings();
    testVertx.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }
}
