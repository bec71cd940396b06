package dev.trawl.support;

import dev.trawl.TrawlVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.nio.file.Path;

/** A whole Trawl node (every verticle, the HTTP API on a free port) deployed in a test Vert.x. */
public final class TestNode {

  private final Vertx vertx;
  private final JsonObject config;
  private final int apiPort;
  private WebClient api;

  /**
   * Test config: loopback allowed, robots.txt ignored unless a test asks (so servers see only the
   * requests a test makes), short flush, results under {@code dataDir}; then {@code overrides}.
   */
  public TestNode(Vertx vertx, Path dataDir, JsonObject overrides) {
    this.vertx = vertx;
    this.apiPort = Processes.freePort();
    this.config = testConfig(apiPort, dataDir, overrides);
  }

  /** The config described at {@link #TestNode}, for a node whose API listens on {@code apiPort}. */
  static JsonObject testConfig(int apiPort, Path dataDir, JsonObject overrides) {
    return new JsonObject()
      .put("http", new JsonObject().put("port", apiPort).put("host", "127.0.0.1"))
      .put("fetch", new JsonObject().put("blockPrivateNetworks", false).put("robots", "ignore"))
      .put("sink", new JsonObject().put("dir", dataDir.toString()).put("flushMs", 100))
      .put("retry", new JsonObject().put("attempts", 1))
      // Tests of the job engine run many tries at one loopback origin: the host's shared limits
      // are the business of the tests that set them.
      .put("politeness", new JsonObject().put("perHost", 100_000).put("adaptive", false))
      .mergeIn(overrides, true);
  }

  public Future<TestNode> start() {
    api = WebClient.create(vertx);
    return vertx.deployVerticle(TrawlVerticle::new, new DeploymentOptions().setConfig(config)).map(this);
  }

  public WebClient api() {
    return api;
  }

  public int apiPort() {
    return apiPort;
  }

  public Future<HttpResponse<Buffer>> submit(JsonObject job) {
    return api.post(apiPort, "127.0.0.1", "/jobs").sendJsonObject(job);
  }

  public Future<JsonObject> submitAndWait(JsonObject job) {
    return api.post(apiPort, "127.0.0.1", "/jobs?wait=true").sendJsonObject(job).map(HttpResponse::bodyAsJsonObject);
  }

  public Future<HttpResponse<Buffer>> get(String path) {
    return api.get(apiPort, "127.0.0.1", path).send();
  }

}
