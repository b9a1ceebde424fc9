package dev.concurrencysafe.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.LockEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Threads racing on a key name's first event share one set of meters and lose no count. */
class LockMetricsConcurrencyTest {

  @Test
  void racingFirstEventsRegisterOnceAndCountEverything() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    LockMetrics metrics = new LockMetrics(registry);
    int threads = 8;
    int eventsPerThread = 10_000;
    LockEvent acquired =
        new LockEvent(
            LockEvent.Type.ACQUIRED,
            "lock:reward:u1",
            "CacheKey.REWARD",
            1,
            Duration.ofMillis(2),
            null);
    LockEvent released =
        new LockEvent(
            LockEvent.Type.RELEASED,
            "lock:reward:u1",
            "CacheKey.REWARD",
            1,
            Duration.ofMillis(5),
            null);
    CountDownLatch startTogether = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  startTogether.await();
                  for (int i = 0; i < eventsPerThread; i++) {
                    metrics.onEvent(acquired);
                    metrics.onEvent(released);
                  }
                  return null;
                }));
      }
      startTogether.countDown();
      for (Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    long total = (long) threads * eventsPerThread;
    assertEquals(10, registry.getMeters().size());
    assertEquals(
        total, registry.get(LockMetrics.ATTEMPTS).tag("outcome", "acquired").counter().count());
    assertEquals(total, registry.get(LockMetrics.WAIT).tag("outcome", "acquired").timer().count());
    assertEquals(
        total * 2,
        registry
            .get(LockMetrics.WAIT)
            .tag("outcome", "acquired")
            .timer()
            .totalTime(TimeUnit.MILLISECONDS),
        1e-6);
    assertEquals(total, registry.get(LockMetrics.HELD).timer().count());
  }
}
