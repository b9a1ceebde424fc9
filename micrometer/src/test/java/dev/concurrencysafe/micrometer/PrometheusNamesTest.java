package dev.concurrencysafe.micrometer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The names the README documents are what a Prometheus scrape shows, and nothing personal is. */
class PrometheusNamesTest {

  @Test
  void aScrapeShowsTheDocumentedSeriesWithCatalogNamesOnly() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (LockManager locks = LockManager.builder().listener(new LockMetrics(registry)).inMemory()) {
      try (Lease held = locks.with(CacheKey.PURCHASE, "user-4711-x").acquire()) {
        assertTrue(held.isValid());
        LockMetricsContract.onAnotherThread(
            () ->
                assertThrows(
                    ConcurrencyException.class,
                    () -> locks.with(CacheKey.PURCHASE, "user-4711-x").run(() -> {})));
      }
      locks.with(CacheKey.PURCHASE, "user-4712-x").cooldown(Duration.ofMinutes(1)).run(() -> {});
      locks.with("lock:refresh:user-4713-x").run(() -> {});
    }
    String scrape = registry.scrape();
    List<String> lines = Arrays.stream(scrape.split("\n")).filter(l -> !l.startsWith("#")).toList();

    assertSeries(
        lines,
        "concurrencysafe_lock_attempts_total{key=\"CacheKey.PURCHASE\",outcome=\"acquired\"} 2.0");
    assertSeries(
        lines,
        "concurrencysafe_lock_attempts_total{key=\"CacheKey.PURCHASE\",outcome=\"blocked\"} 1.0");
    assertSeries(
        lines,
        "concurrencysafe_lock_attempts_total{key=\"CacheKey.PURCHASE\",outcome=\"unavailable\"} 0.0");
    assertSeries(
        lines, "concurrencysafe_lock_attempts_total{key=\"(literal)\",outcome=\"acquired\"} 1.0");
    assertSeries(
        lines,
        "concurrencysafe_lock_wait_seconds_count{key=\"CacheKey.PURCHASE\",outcome=\"acquired\"} 2");
    assertSeries(
        lines,
        "concurrencysafe_lock_wait_seconds_count{key=\"CacheKey.PURCHASE\",outcome=\"blocked\"} 1");
    assertSeries(
        lines,
        "concurrencysafe_lock_wait_seconds_sum{key=\"CacheKey.PURCHASE\",outcome=\"blocked\"} ");
    assertSeries(
        lines,
        "concurrencysafe_lock_wait_seconds_max{key=\"CacheKey.PURCHASE\",outcome=\"blocked\"} ");
    assertSeries(lines, "concurrencysafe_lock_held_seconds_count{key=\"CacheKey.PURCHASE\"} 2");
    assertSeries(lines, "concurrencysafe_lock_held_seconds_sum{key=\"CacheKey.PURCHASE\"} ");
    assertSeries(lines, "concurrencysafe_lock_lease_lost_total{key=\"CacheKey.PURCHASE\"} 0.0");
    assertSeries(lines, "concurrencysafe_lock_cooldowns_total{key=\"CacheKey.PURCHASE\"} 1.0");
    assertFalse(scrape.contains("user-"), "a user id reached the scrape:\n" + scrape);
    assertFalse(scrape.contains("lock:refresh"), "a literal key reached the scrape:\n" + scrape);
  }

  private static void assertSeries(List<String> lines, String prefix) {
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith(prefix)),
        "no series starting with " + prefix + " in:\n" + String.join("\n", lines));
  }
}
