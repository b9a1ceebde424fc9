package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.RedisExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;

/**
 * 1,000 asynchronous waiters on one key against a real redis-server: served one after another,
 * never two bodies at once, while the JVM's live thread count stays flat (no thread per waiter).
 */
class ThousandAsyncWaitersTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();

  private static final int WAITERS = 1_000;
  private static final Executor ONE_MS_LATER =
      CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS);

  /** Read, pause 1 ms, write: two overlapping bodies lose an increment. Not atomic on purpose. */
  private int counter;

  private int inside;
  private int overlaps;

  @Test
  void aThousandAsyncWaitersAreServedOneAfterAnotherWithoutAThreadEach() throws Exception {
    RedissonClient client = SkipWhenBusyTest.client(redis.uri());
    try (LockManager locks = LockManager.redisson(client)) {
      var spec = locks.with("async:thousand").waitTimeout(Duration.ofMinutes(5));
      // warm up what any use starts once: the client's threads, the engine's scheduler, the
      // subscription, the common pool, the JDK's delay thread
      spec.callAsync(this::body).toCompletableFuture().get(30, TimeUnit.SECONDS);
      counter = 0;
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      int before = threads.getThreadCount();

      List<CompletableFuture<Void>> waiters = new ArrayList<>(WAITERS);
      for (int i = 0; i < WAITERS; i++) {
        waiters.add(spec.callAsync(this::body).toCompletableFuture());
      }
      CompletableFuture<Void> all =
          CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new));
      int peak = before;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      long started = System.nanoTime();
      while (!all.isDone() && System.nanoTime() < deadline) {
        peak = Math.max(peak, threads.getThreadCount());
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      all.get(1, TimeUnit.SECONDS);

      assertEquals(0, overlaps, "bodies overlapped");
      assertEquals(WAITERS, counter, "read-pause-write lost increments: bodies overlapped");
      assertTrue(
          peak - before < 20,
          "live threads grew from "
              + before
              + " to "
              + peak
              + " while "
              + WAITERS
              + " callers waited");
      assertEquals("0", redis.command("EXISTS", "{async:thousand}"));
      System.out.printf(
          "%d async waiters served in %d ms (%.2f ms per hand-over incl. a 1 ms"
              + " body); live threads %d before, peak %d%n",
          WAITERS, millis, (double) millis / WAITERS, before, peak);
    } finally {
      client.shutdown();
    }
  }

  /**
   * Callers that re-acquire as soon as they released keep joining the queue while releases wake its
   * head: the pattern that once deadlocked a waker (queue lock, then the engine's map lock) against
   * a joiner (map lock, then queue lock). Eight rounds of 16 callers x 100 cycles.
   */
  @Test
  void sixteenAsyncCallersCyclingOnOneKeyNeverDeadlockNorOverlap() throws Exception {
    RedissonClient client = SkipWhenBusyTest.client(redis.uri());
    try (LockManager locks = LockManager.redisson(client)) {
      var spec = locks.with("async:cycling").waitTimeout(Duration.ofSeconds(30));
      for (int round = 0; round < 8; round++) {
        counter = 0;
        List<CompletableFuture<Void>> callers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          callers.add(cycle(spec, 100));
        }
        CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        assertEquals(0, overlaps, "bodies overlapped");
        assertEquals(16 * 100, counter, "read-pause-write lost increments in round " + round);
      }
    } finally {
      client.shutdown();
    }
  }

  private CompletableFuture<Void> cycle(dev.concurrencysafe.LockSpec spec, int remaining) {
    if (remaining == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return spec.callAsync(this::quickBody)
        .toCompletableFuture()
        .thenCompose(done -> cycle(spec, remaining - 1));
  }

  /** Read, hop to another thread, write: an overlap loses an increment. */
  private CompletableFuture<Void> quickBody() {
    if (inside++ > 0) {
      overlaps++;
    }
    int seen = counter;
    return CompletableFuture.runAsync(
        () -> {
          counter = seen + 1;
          inside--;
        });
  }

  private CompletableFuture<Void> body() {
    if (inside++ > 0) {
      overlaps++;
    }
    int seen = counter;
    return CompletableFuture.runAsync(
        () -> {
          counter = seen + 1;
          inside--;
        },
        ONE_MS_LATER);
  }
}
