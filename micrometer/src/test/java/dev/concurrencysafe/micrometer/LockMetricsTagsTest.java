package dev.concurrencysafe.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.concurrencysafe.LockEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockMetricsTagsTest {

  @Test
  void extraTagsGoOnEveryMeter() {
    MeterRegistry registry = new SimpleMeterRegistry();
    LockMetrics metrics = new LockMetrics(registry, Tags.of("manager", "shop"));
    metrics.onEvent(
        new LockEvent(
            LockEvent.Type.ACQUIRED,
            "lock:reward:u1",
            "CacheKey.REWARD",
            1,
            Duration.ofMillis(1),
            null));
    assertEquals(10, registry.getMeters().size());
    registry
        .getMeters()
        .forEach(m -> assertEquals("shop", m.getId().getTag("manager"), m.getId().toString()));
  }

  @Test
  void extraTagsMayNotReplaceKeyOrOutcome() {
    MeterRegistry registry = new SimpleMeterRegistry();
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LockMetrics(registry, Tags.of("key", "mine")));
    assertEquals(
        "extraTags: the tag 'key' (value 'mine') is set by LockMetrics on every meter;"
            + " use another name, such as 'manager'",
        error.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new LockMetrics(registry, Tags.of("outcome", "x")));
    assertEquals(0, registry.getMeters().size(), "nothing registered by a rejected instance");
  }
}
