package dev.concurrencysafe.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.LockEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LockMetricsPercentilesTest {

  @Test
  void percentilesArePublishedOnTheWaitAndHeldTimersOnly() {
    MeterRegistry registry = new SimpleMeterRegistry();
    registry.config().meterFilter(LockMetrics.percentiles(0.5, 0.99));
    LockMetrics metrics = new LockMetrics(registry);
    // 98 holds of 10 ms and 2 of 1 s: p50 is about 10 ms, p99 about 1 s.
    for (int i = 0; i < 100; i++) {
      Duration held = i < 98 ? Duration.ofMillis(10) : Duration.ofSeconds(1);
      metrics.onEvent(event(LockEvent.Type.ACQUIRED, Duration.ofMillis(1)));
      metrics.onEvent(event(LockEvent.Type.RELEASED, held));
    }
    ValueAtPercentile[] held = timer(registry, LockMetrics.HELD).takeSnapshot().percentileValues();
    assertEquals(2, held.length);
    assertEquals(0.5, held[0].percentile());
    assertBetween(9, 12, held[0].value(TimeUnit.MILLISECONDS));
    assertEquals(0.99, held[1].percentile());
    assertBetween(900, 1100, held[1].value(TimeUnit.MILLISECONDS));

    Timer waited = registry.find(LockMetrics.WAIT).tag("outcome", "acquired").timer();
    assertEquals(2, waited.takeSnapshot().percentileValues().length);
  }

  @Test
  void badPercentilesAreRejectedNamingTheValue() {
    var error =
        assertThrows(IllegalArgumentException.class, () -> LockMetrics.percentiles(0.5, 99));
    assertTrue(error.getMessage().contains("99.0 is outside [0, 1]"), error.getMessage());
    assertThrows(IllegalArgumentException.class, LockMetrics::percentiles);
    assertThrows(IllegalArgumentException.class, () -> LockMetrics.percentiles(Double.NaN));
  }

  private static LockEvent event(LockEvent.Type type, Duration duration) {
    return new LockEvent(type, "lock:reward:u1", "CacheKey.REWARD", 1, duration, null);
  }

  private static Timer timer(MeterRegistry registry, String name) {
    return registry.find(name).tag("key", "CacheKey.REWARD").timer();
  }

  private static void assertBetween(double low, double high, double actual) {
    assertTrue(actual >= low && actual <= high, actual + " not in [" + low + ", " + high + "]");
  }
}
