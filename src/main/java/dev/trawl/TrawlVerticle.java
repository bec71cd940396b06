package dev.trawl;

import dev.trawl.api.ApiVerticle;
import dev.trawl.cluster.Codecs;
import dev.trawl.cluster.NodeClaim;
import dev.trawl.config.HttpSettings;
import dev.trawl.config.TrawlConfig;
import dev.trawl.fetch.FetchVerticle;
import dev.trawl.job.JobCoordinatorVerticle;
import dev.trawl.sink.SinkVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The main verticle of a node: validates the config, registers the codecs and deploys the sink,
 * the fetchers, the coordinator and (when {@code http.enabled}) the HTTP API, in that order, so
 * that each finds the addresses it talks to already served.
 */
public class TrawlVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    TrawlConfig cfg;
    try {
      cfg = TrawlConfig.from(config());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Codecs.registerAll(vertx.eventBus());
    DeploymentOptions options = new DeploymentOptions().setConfig(cfg.json());
    DeploymentOptions fetchers = new DeploymentOptions(options).setInstances(cfg.fetchVerticles());
    HttpSettings api = HttpSettings.from(cfg);
    return vertx.deployVerticle(NodeClaim::new, options).compose(claimed -> Future.all(
        vertx.deployVerticle(SinkVerticle::new, options),
        vertx.deployVerticle(FetchVerticle::new, fetchers)))
      .compose(v -> vertx.deployVerticle(JobCoordinatorVerticle::new, options))
      .compose(v -> api.enabled() ? vertx.deployVerticle(ApiVerticle::new, options) : Future.succeededFuture());
  }
}
