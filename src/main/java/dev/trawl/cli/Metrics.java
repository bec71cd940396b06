package dev.trawl.cli;

import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/** Vert.x metrics through Micrometer, scraped as Prometheus text at {@code /metrics}. */
public final class Metrics {

  private Metrics() {
  }

  public static VertxBuilder enable(VertxOptions options) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
      .setJvmMetricsEnabled(true)
      .setEnabled(true);
    return Vertx.builder().with(NodeOptions.apply(options).setMetricsOptions(metrics)).withMetrics(new MicrometerMetricsFactory());
  }
}
