package dev.trawl.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Trawl's own meters next to Vert.x's, on the same Prometheus registry: results by error kind,
 * and gauges of running and queued jobs and requests in flight. A no-op when metrics are off.
 */
final class JobMetrics {

  private final MeterRegistry registry = BackendRegistries.getDefaultNow();
  private final Map<String, Counter> results = new ConcurrentHashMap<>();

  void gauge(String name, String help, Supplier<Number> value) {
    if (registry != null) {
      Gauge.builder(name, value).description(help).register(registry);
    }
  }

  /** Counts one result; {@code kind} is {@code ok} or the SPEC error kind. */
  void result(String kind) {
    if (registry != null) {
      results.computeIfAbsent(kind, k -> Counter.builder("trawl.results").tag("kind", k)
        .description("Results written, by error kind (ok for successes)").register(registry)).increment();
    }
  }
}
