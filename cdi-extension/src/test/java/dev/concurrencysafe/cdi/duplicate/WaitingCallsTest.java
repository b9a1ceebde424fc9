package dev.concurrencysafe.cdi.duplicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisServer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With a wait timeout, concurrent calls queue instead of failing, and never overlap: each body does
 * a non-atomic GET / pause / SET on a Redis counter, so any overlap loses an update.
 */
class WaitingCallsTest {

  static final int THREADS = 8;
  static final int CALLS_PER_THREAD = 5;
  static RedisServer redis;

  @ApplicationScoped
  public static class Counter {
    @ConcurrencySafe(key = "lock:counter:{name}", waitTimeout = "30s")
    public void increment(String name) throws InterruptedException {
      long value = Long.parseLong(redis.command("GET", "counter:" + name));
      Thread.sleep(2); // widens the read-modify-write window; not synchronisation
      redis.command("SET", "counter:" + name, Long.toString(value + 1));
    }
  }

  @Test
  void waitingCallsRunOneAtATime() throws Exception {
    redis = RedisServer.start();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (TestContainer container =
        TestContainer.start(Map.of("concurrency-safe.redis.address", redis.uri()), Counter.class)) {
      Counter counter = container.bean(Counter.class);
      redis.command("SET", "counter:c", "0");
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> calls = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        calls.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    counter.increment("c");
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> call : calls) {
        call.get(60, TimeUnit.SECONDS);
      }
      assertEquals(
          Long.toString(THREADS * CALLS_PER_THREAD),
          redis.command("GET", "counter:c"),
          "an overlap would have lost an increment");
    } finally {
      pool.shutdownNow();
      redis.close();
    }
  }
}
