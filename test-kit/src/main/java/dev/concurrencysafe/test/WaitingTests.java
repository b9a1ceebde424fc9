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
import dev.concurrencysafe.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Waiting: waiters wake on the release (one at a time, without polling), still get in when the
 * notification is lost, give up at their timeout; asynchronous calls hold the lock until their
 * stage completes.
 *
 * <p>Part of {@link LockBackendContract} (one link of its chain of test groups), run over the
 * backend under test.
 *
 * <p>Thread-safety: JUnit runs one test per instance; the tests start their own threads.
 */
abstract class WaitingTests extends ExpiryTests {

  @Test
  void aWaiterWakesOnReleaseLongBeforeTheHoldersTtl() throws Exception {
    LockManager holder = newEngine();
    LockManager waiter = newEngine();
    Lease held = holder.with("w").ttl(Duration.ofSeconds(30)).acquire();
    int before = store().acquireAttempts.get();
    CompletableFuture<Long> acquiredAt =
        CompletableFuture.supplyAsync(
            () -> waiter.with("w").waitTimeout(Duration.ofSeconds(20)).call(System::nanoTime));
    Await.until(
        "the waiter has tried twice (fail fast, then subscribed)",
        Duration.ofSeconds(5),
        () -> store().acquireAttempts.get() >= before + 2);
    long releasedAt = System.nanoTime();
    held.close();
    long gapMillis = (acquiredAt.get(10, TimeUnit.SECONDS) - releasedAt) / 1_000_000;
    assertTrue(gapMillis < 1000, "woke after " + gapMillis + " ms; the ttl was 30 s");
    assertTrue(
        store().acquireAttempts.get() - before <= 3,
        "a waiter does not poll: " + (store().acquireAttempts.get() - before) + " attempts");
  }

  @Test
  void aReleaseWakesOneLocalWaiterNotAll() throws Exception {
    int waiters = 8;
    LockManager holder = newEngine();
    LockManager waiting = newEngine();
    Lease held = holder.with("queue").ttl(Duration.ofSeconds(30)).acquire();
    int before = store().acquireAttempts.get();
    int atRelease;
    ExecutorService pool = Executors.newFixedThreadPool(waiters);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < waiters; i++) {
        done.add(
            pool.submit(
                () -> waiting.with("queue").waitTimeout(Duration.ofSeconds(20)).run(() -> {})));
      }
      // each waiter tries, subscribes and tries again (where waiters queue in the store, one that
      // finds the subscription in place tries once, and refreshes its place every beat): only the
      // attempts after the release count
      Await.until(
          "all waiters subscribed",
          Duration.ofSeconds(10),
          () -> store().acquireAttempts.get() >= before + 2 * waiters);
      atRelease = store().acquireAttempts.get();
      held.close();
      for (Future<?> f : done) {
        f.get(20, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int handOverAttempts = store().acquireAttempts.get() - atRelease;
    // where waiters queue in the store, each may also refresh its place once while the others go
    int allowed = waiters + 4 + (store().handsOver() ? waiters : 0);
    assertTrue(
        handOverAttempts <= allowed,
        handOverAttempts + " attempts for " + waiters + " hand-overs (waking all would be ~36)");
  }

  @Test
  void aWaiterWhoseNotificationIsLostStillGetsInWhenTheHoldersTtlRunsOut() throws Exception {
    LockManager holder = newEngine();
    store().dropNotifications = true;
    store().renewals = ControllableBackend.Renewals.HANG;
    Lease crashed = holder.with("lost-wakeup").ttl(Duration.ofMillis(700)).acquire();
    long start = System.nanoTime();
    long acquiredAt =
        newEngine().with("lost-wakeup").waitTimeout(Duration.ofSeconds(10)).call(System::nanoTime);
    long waitedMillis = (acquiredAt - start) / 1_000_000;
    assertTrue(waitedMillis < 1700, "got in " + waitedMillis + " ms after a 700 ms ttl");
    assertFalse(crashed.isValid());
  }

  @Test
  void anAsyncWaiterWhoseNotificationIsLostStillGetsInWhenTheHoldersTtlRunsOut() throws Exception {
    LockManager holder = newEngine();
    store().dropNotifications = true;
    store().renewals = ControllableBackend.Renewals.HANG;
    Lease crashed = holder.with("lost-wakeup-async").ttl(Duration.ofMillis(700)).acquire();
    long start = System.nanoTime();
    Lease served =
        newEngine()
            .with("lost-wakeup-async")
            .waitTimeout(Duration.ofSeconds(10))
            .acquireAsync()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(waitedMillis < 1700, "got in " + waitedMillis + " ms after a 700 ms ttl");
    assertTrue(served.fencingToken() > crashed.fencingToken());
    served.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertFalse(crashed.isValid());
  }

  @Test
  void aWaiterGivesUpAtItsWaitTimeout() {
    LockManager holder = newEngine();
    try (Lease held = holder.with("busy").acquire()) {
      long start = System.nanoTime();
      assertThrows(
          ConcurrencyException.class,
          () ->
              newEngine()
                  .with("busy")
                  .waitTimeout(Duration.ofMillis(300))
                  .run(() -> fail("must not run")));
      long waited = (System.nanoTime() - start) / 1_000_000;
      assertTrue(waited >= 300 && waited < 3000, "waited " + waited + " ms");
    }
  }

  @Test
  @SuppressWarnings({"NullAway", "CheckReturnValue"}) // a body returning null, on purpose
  void callAsyncHoldsTheLockUntilTheStageCompletesAndFreesTheCallingThread() throws Exception {
    LockManager locks = newEngine();
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<Long> nestedToken = new CompletableFuture<>();
    CompletionStage<String> result =
        locks
            .with("async:1")
            .callAsync(
                () -> {
                  try (Lease nested = locks.with("async:1").acquire()) {
                    nestedToken.complete(nested.fencingToken());
                  }
                  return work;
                });
    assertTrue(nestedToken.get(10, TimeUnit.SECONDS) > 0, "inside the body a nested call joins");
    assertThrows(
        ConcurrencyException.class,
        () ->
            locks
                .with("async:1")
                .run(
                    () ->
                        fail(
                            "after the body returned, no thread is the holder while the work runs")));
    assertFalse(result.toCompletableFuture().isDone());
    CompletableFuture.runAsync(() -> work.complete("done")).get(10, TimeUnit.SECONDS);
    assertEquals("done", result.toCompletableFuture().get(10, TimeUnit.SECONDS));
    locks.with("async:1").run(() -> {});

    IllegalStateException failure = new IllegalStateException("async failure");
    CompletionStage<String> failed =
        locks.with("async:2").callAsync(() -> CompletableFuture.failedFuture(failure));
    java.util.concurrent.ExecutionException thrown =
        assertThrows(
            java.util.concurrent.ExecutionException.class,
            () -> failed.toCompletableFuture().get());
    assertSame(failure, thrown.getCause());
    locks.with("async:2").run(() -> {});
    CompletionStage<Object> nullStage = locks.with("async:3").callAsync(() -> null);
    Throwable npe =
        assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> nullStage.toCompletableFuture().get(10, TimeUnit.SECONDS))
            .getCause();
    assertEquals(NullPointerException.class, npe.getClass());
    assertEquals(
        "body must return a CompletionStage, but returned null (callAsync on key"
            + " 'async:3'; the lock was released)",
        npe.getMessage());
    locks.with("async:3").run(() -> {});
  }
}
