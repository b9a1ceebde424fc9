package dev.concurrencysafe.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Mutual exclusion: one holder per key across managers and threads, releases that let the next
 * caller in, nested calls that join, leases that are not tied to a thread.
 *
 * <p>Part of {@link LockBackendContract} (one link of its chain of test groups), run over the
 * backend under test.
 *
 * <p>Thread-safety: JUnit runs one test per instance; the tests start their own threads.
 */
abstract class ExclusionTests extends ArgumentTests {

  @Test
  void runReleasesSoTheNextCallerGetsIn() {
    LockManager locks = newEngine();
    int[] runs = new int[1];
    locks.with("order:1").run(() -> runs[0]++);
    locks.with("order:1").run(() -> runs[0]++);
    assertEquals(2, runs[0]);
  }

  @Test
  void callReturnsTheResultAndBodyExceptionsPropagateUnchangedAndRelease() {
    LockManager locks = newEngine();
    assertEquals(42, locks.with("k").call(() -> 42));
    IOException boom = new IOException("boom");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                locks
                    .with("k")
                    .run(
                        () -> {
                          throw boom;
                        }));
    assertSame(boom, thrown);
    IllegalStateException unchecked = new IllegalStateException("bad");
    assertSame(
        unchecked,
        assertThrows(
            IllegalStateException.class,
            () ->
                locks
                    .with("k")
                    .call(
                        () -> {
                          throw unchecked;
                        })));
    assertEquals("ok", newEngine().with("k").call(() -> "ok"), "released after the exceptions");
  }

  @Test
  void nestedSameKeyInsideTheBodyJoinsTheHeldLeaseOtherThreadsAreBlocked() throws Exception {
    LockManager locks = newEngine();
    long[] tokens = new long[2];
    locks
        .with("r")
        .run(
            () -> {
              int attemptsBefore = store().acquireAttempts.get();
              tokens[0] =
                  locks
                      .with("r")
                      .call(
                          () -> {
                            try (Lease inner = locks.with("r").acquire()) {
                              return inner.fencingToken();
                            }
                          });
              try (Lease again = locks.with("r").acquire()) {
                tokens[1] = again.fencingToken();
              }
              assertEquals(
                  attemptsBefore, store().acquireAttempts.get(), "joining needs no round trip");
              assertThrows(
                  ConcurrencyException.class,
                  () ->
                      newEngine()
                          .with("r")
                          .run(
                              () -> fail("closing a nested lease must not release the outer one")));
              ExecutorService other = Executors.newSingleThreadExecutor();
              try {
                other
                    .submit(
                        () ->
                            assertThrows(
                                ConcurrencyException.class,
                                () ->
                                    locks
                                        .with("r")
                                        .run(() -> fail("another thread is a duplicate"))))
                    .get(10, TimeUnit.SECONDS);
              } finally {
                other.shutdownNow();
              }
            });
    assertTrue(tokens[0] > 0);
    assertEquals(tokens[0], tokens[1], "nested calls share the outer token");
    try (Lease after = locks.with("r").acquire()) {
      assertTrue(after.fencingToken() > tokens[0], "after the body, a new acquisition");
    }
  }

  @Test
  void aLeaseFromAcquireDoesNotMakeItsThreadTheHolderSoAHandOffCannotBeJoined() {
    LockManager locks = newEngine();
    Lease handedOff = locks.with("hand").acquire();
    // e.g. an event-loop thread that started async work and now serves the same user again
    assertThrows(
        ConcurrencyException.class,
        () ->
            locks.with("hand").run(() -> fail("the duplicate ran by joining a handed-off lease")));
    handedOff.close();
    locks.with("hand").run(() -> {});
  }

  @Test
  void theSameThreadAfterTheBodyReturnedIsADuplicateWhileTheKeyIsHeld() {
    LockManager locks = newEngine();
    locks.with("once").cooldown(Duration.ofSeconds(30)).run(() -> {});
    assertThrows(ConcurrencyException.class, () -> locks.with("once").run(() -> fail("duplicate")));
  }

  @Test
  void sixteenThreadsOnFourKeysNeverOverlap() throws Exception {
    int threads = 16;
    int keys = 4;
    int rounds = 25;
    LockManager[] processes = {newEngine(), newEngine()};
    long[] counters = new long[keys];
    boolean[] inside = new boolean[keys];
    int[] overlaps = new int[1];
    int[][] successes = new int[threads][keys];
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < rounds; i++) {
                  int key = (thread + i) % keys;
                  boolean longerThanTtl = thread == i % threads && i % 8 == 0;
                  processes[(thread + i) % 2]
                      .with("exclusive:" + key)
                      .ttl(Duration.ofMillis(1000))
                      .waitTimeout(Duration.ofSeconds(60))
                      .run(
                          () -> {
                            if (inside[key]) {
                              overlaps[0]++;
                            }
                            inside[key] = true;
                            long read = counters[key];
                            long until = System.nanoTime() + (longerThanTtl ? 1_300_000_000L : 0);
                            do {
                              Thread.yield();
                            } while (System.nanoTime() < until);
                            counters[key] = read + 1;
                            inside[key] = false;
                          });
                  successes[thread][key]++;
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    for (int key = 0; key < keys; key++) {
      int expected = 0;
      for (int t = 0; t < threads; t++) {
        expected += successes[t][key];
      }
      assertEquals(expected, counters[key], "lost updates on key " + key);
    }
    assertEquals(threads * rounds, java.util.Arrays.stream(counters).sum());
    assertEquals(0, overlaps[0]);
  }

  @Test
  void aLeaseIsInvalidAfterCloseAndClosingTwiceIsHarmless() {
    Lease lease = newEngine().with("twice").acquire();
    assertTrue(lease.isValid());
    assertEquals("twice", lease.key());
    lease.close();
    lease.close();
    assertFalse(lease.isValid());
    newEngine().with("twice").run(() -> {});
  }

  @Test
  void leasesCanBeClosedFromAnotherThread() throws Exception {
    LockManager locks = newEngine();
    Lease lease = locks.with("async").acquire();
    CompletableFuture.runAsync(lease::close).get(10, TimeUnit.SECONDS);
    locks.with("async").run(() -> {});
  }
}
