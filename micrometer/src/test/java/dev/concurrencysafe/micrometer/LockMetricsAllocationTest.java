package dev.concurrencysafe.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.concurrencysafe.LockEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Recording an event allocates nothing once a key name's meters exist: this is the reason for the
 * per-key-name cache (registering through a builder per event allocates builders, tag lists and ids
 * on every call). Measured with the JVM's per-thread allocation counter, not with a clock.
 */
class LockMetricsAllocationTest {

  private static final int EVENTS = 40_000;

  private final List<LockEvent> events =
      List.of(
          new LockEvent(
              LockEvent.Type.ACQUIRED,
              "lock:reward:u1",
              "CacheKey.REWARD",
              7,
              Duration.ofMillis(3),
              null),
          new LockEvent(
              LockEvent.Type.RELEASED,
              "lock:reward:u1",
              "CacheKey.REWARD",
              7,
              Duration.ofMillis(40),
              null),
          new LockEvent(
              LockEvent.Type.BLOCKED,
              "lock:reward:u1",
              "CacheKey.REWARD",
              0,
              Duration.ofMillis(1),
              null),
          new LockEvent(
              LockEvent.Type.COOLDOWN_STARTED,
              "lock:reward:u1",
              "CacheKey.REWARD",
              7,
              Duration.ofMinutes(1),
              null));

  @Test
  void recordingACachedKeyNameAllocatesNothing() {
    com.sun.management.ThreadMXBean threads = allocationCounter();
    MeterRegistry registry = new SimpleMeterRegistry();
    LockMetrics metrics = new LockMetrics(registry);

    double cached =
        bytesPerEvent(
            threads,
            () -> {
              for (int i = 0; i < EVENTS; i++) {
                metrics.onEvent(events.get(i & 3));
              }
            });
    double builderPerEvent =
        bytesPerEvent(
            threads,
            () -> {
              for (int i = 0; i < EVENTS; i++) {
                recordWithBuilders(registry, events.get(i & 3));
              }
            });
    System.out.printf(
        "allocation per event: LockMetrics %.1f B, builder per event %.1f B%n",
        cached, builderPerEvent);

    assertEquals(10, registry.getMeters().size(), "both paths share the same 10 meters");
    // Under one byte per event on average: no per-event object at all (an object is >= 16 B).
    assertTrue(cached < 1.0, "LockMetrics allocated " + cached + " B per event");
    // builderPerEvent is printed, not asserted: it documents Micrometer's cost, which may change.
  }

  /** The uncached way: what LockMetrics would do without its map. */
  private static void recordWithBuilders(MeterRegistry registry, LockEvent event) {
    String key = event.keyName();
    switch (event.type()) {
      case ACQUIRED, BLOCKED -> {
        String outcome = event.type() == LockEvent.Type.ACQUIRED ? "acquired" : "blocked";
        Counter.builder(LockMetrics.ATTEMPTS)
            .tag("key", key)
            .tag("outcome", outcome)
            .register(registry)
            .increment();
        Timer.builder(LockMetrics.WAIT)
            .tag("key", key)
            .tag("outcome", outcome)
            .register(registry)
            .record(event.duration().toNanos(), TimeUnit.NANOSECONDS);
      }
      case RELEASED ->
          Timer.builder(LockMetrics.HELD)
              .tag("key", key)
              .register(registry)
              .record(event.duration().toNanos(), TimeUnit.NANOSECONDS);
      case COOLDOWN_STARTED ->
          Counter.builder(LockMetrics.COOLDOWNS).tag("key", key).register(registry).increment();
      default -> throw new AssertionError(event.type());
    }
  }

  /** Runs {@code work} three times (the first two warm up the JIT) and measures the third. */
  private static double bytesPerEvent(com.sun.management.ThreadMXBean threads, Runnable work) {
    work.run();
    work.run();
    long before = threads.getCurrentThreadAllocatedBytes();
    work.run();
    return (threads.getCurrentThreadAllocatedBytes() - before) / (double) EVENTS;
  }

  private static com.sun.management.ThreadMXBean allocationCounter() {
    var bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no HotSpot allocation counter");
    var threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "allocation counter unsupported");
    threads.setThreadAllocatedMemoryEnabled(true);
    return threads;
  }
}
