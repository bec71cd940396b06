package dev.trawl.cli;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.util.EnumSet;
import java.util.Set;

/**
 * Vert.x metrics through Micrometer, scraped as Prometheus text at {@code /metrics}, with series
 * bounded whatever clients and servers send: every label value comes from a closed set, so
 * neither a caller inventing HTTP methods nor a job touching a million hosts adds series.
 */
public final class Metrics {

  /** The methods of RFC 9110 and PATCH; anything else a client sends counts as {@code OTHER}. */
  static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
    "TRACE", "CONNECT");

  /**
   * The labels Vert.x may add, named rather than left to the library's defaults: no remote or local
   * address, no path or route, no event-bus address (one per job), nothing a peer chooses.
   */
  private static final EnumSet<Label> LABELS = EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE,
    Label.POOL_NAME, Label.EB_SIDE);

  private Metrics() {
  }

  public static VertxBuilder enable(VertxOptions options) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
      .setLabels(LABELS)
      .setJvmMetricsEnabled(true)
      .setEnabled(true);
    return Vertx.builder().with(NodeOptions.apply(options).setMetricsOptions(metrics))
      .withMetrics(new MicrometerMetricsFactory(boundedRegistry()));
  }

  /**
   * A Prometheus registry whose filters are in place before Vert.x registers its first meter
   * (filters added later would not apply to meters already made).
   */
  static PrometheusMeterRegistry boundedRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
      .meterFilter(MeterFilter.replaceTagValues(Label.HTTP_METHOD.toString(), Metrics::methodLabel))
      .meterFilter(MeterFilter.replaceTagValues(Label.HTTP_CODE.toString(), Metrics::codeClass))
      .meterFilter(MeterFilter.deny(Metrics::isPerEndpointPool));
    return registry;
  }

  static String methodLabel(String method) {
    return KNOWN_METHODS.contains(method) ? method : "OTHER";
  }

  /** {@code 404} → {@code 4xx}: a server can answer any three digits, and each would be a series. */
  static String codeClass(String code) {
    return code.length() == 3 && code.charAt(0) >= '1' && code.charAt(0) <= '5' ? code.charAt(0) + "xx" : "OTHER";
  }

  /**
   * Vert.x's HTTP client keeps one connection pool per server address and names its pool metrics
   * after it ({@code pool_type="http", pool_name="host:port"}) whatever labels are enabled: one set
   * of series per host a job touches. They are dropped; worker pools keep theirs.
   */
  private static boolean isPerEndpointPool(Meter.Id id) {
    return "http".equals(id.getTag(Label.POOL_TYPE.toString()));
  }
}
