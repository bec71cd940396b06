package dev.trawl.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

  private final RetryPolicy policy = new RetryPolicy(3, 100, List.of("timeout", "connect", "429", "5xx"));

  @ParameterizedTest
  @CsvSource({
    "timeout, 0, true", "connect, 0, true", "dns, 0, false", "http_status, 429, true",
    "http_status, 503, true", "http_status, 404, false", "http_status, 400, false", "parse, 0, false"})
  void retriesOnlyTheConfiguredClasses(String kind, int status, boolean retried) {
    assertEquals(retried, policy.retries(kind, status));
  }

  @Test
  void exactCodesCanBeNamed() {
    assertTrue(new RetryPolicy(2, 10, List.of("408")).retries("http_status", 408));
  }

  @Test
  void backoffDoublesWithJitterOfAQuarter() {
    for (int i = 0; i < 100; i++) {
      long second = policy.backoffBefore(2);
      long third = policy.backoffBefore(3);
      assertTrue(second >= 75 && second <= 125, "second try waits " + second);
      assertTrue(third >= 150 && third <= 250, "third try waits " + third);
    }
  }

  @ParameterizedTest
  @CsvSource({"600000, 2, 60000", "600000, 20, 60000", "250, 19, 60000", "100, 2, 1000"})
  void backoffNeverWaitsLongerThanTheCap(long backoffMs, int nextAttempt, long cap) {
    RetryPolicy capped = new RetryPolicy(20, backoffMs, List.of("timeout"), Math.min(cap, 60_000));
    for (int i = 0; i < 100; i++) {
      assertTrue(capped.backoffBefore(nextAttempt) <= cap, "waits " + capped.backoffBefore(nextAttempt));
    }
  }

  @Test
  void theCapIsReadFromTheRetrySection() {
    Problems problems = new Problems();
    RetryPolicy parsed = RetryPolicy.parse(new io.vertx.core.json.JsonObject().put("maxBackoffMs", 5000), policy,
      "retry", problems);
    assertEquals(List.of(), problems.list());
    assertEquals(5000, parsed.maxBackoffMs());
    assertEquals(5000, new RetryPolicy(20, 600_000, List.of(), 5000).backoffBefore(20));
  }
}
