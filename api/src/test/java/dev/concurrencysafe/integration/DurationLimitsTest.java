package dev.concurrencysafe.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationLimitsTest {

  @Test
  void acceptedValuesAreRoundedUpToWholeMilliseconds() {
    assertEquals(Duration.ofMillis(2), DurationLimits.ttl(Duration.ofNanos(1_900_000), "ttl"));
    assertEquals(
        Duration.ofMillis(1), DurationLimits.notNegative(Duration.ofNanos(500_000), "cooldown"));
    assertEquals(Duration.ofMillis(1), DurationLimits.positive(Duration.ofNanos(1), "timeout"));
    assertEquals(Duration.ofMillis(1500), DurationLimits.ttl(Duration.ofMillis(1500), "ttl"));
    assertEquals(Duration.ZERO, DurationLimits.notNegative(Duration.ZERO, "waitTimeout"));
    assertEquals(DurationLimits.MAX, DurationLimits.ttl(DurationLimits.MAX, "ttl"));
  }

  @Test
  void rejectedValuesAreNamedWithWhatWasExpected() {
    assertEquals(
        "ttl must be >= 1ms, but was PT0.0005S",
        assertThrows(
                IllegalArgumentException.class,
                () -> DurationLimits.ttl(Duration.ofNanos(500_000), "ttl"))
            .getMessage());
    assertEquals(
        "ttl must be > 0, but was PT0S",
        assertThrows(IllegalArgumentException.class, () -> DurationLimits.ttl(Duration.ZERO, "ttl"))
            .getMessage());
    assertEquals(
        "cooldown must be >= 0, but was PT-1S",
        assertThrows(
                IllegalArgumentException.class,
                () -> DurationLimits.notNegative(Duration.ofSeconds(-1), "cooldown"))
            .getMessage());
    assertEquals(
        "waitTimeout must be <= 365 days, but was PT8784H",
        assertThrows(
                IllegalArgumentException.class,
                () -> DurationLimits.notNegative(Duration.ofDays(366), "waitTimeout"))
            .getMessage());
    assertEquals(
        "ttl must not be null",
        assertThrows(NullPointerException.class, () -> DurationLimits.ttl(null, "ttl"))
            .getMessage());
  }
}
