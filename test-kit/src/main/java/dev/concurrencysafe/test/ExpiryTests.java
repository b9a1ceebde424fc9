package dev.concurrencysafe.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.spi.LockBackend;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Time: renewal keeps long work exclusive, a lost or expired lease cannot touch the next owner,
 * cooldowns count from acquisition, fencing tokens strictly increase.
 *
 * <p>Part of {@link LockBackendContract} (one link of its chain of test groups), run over the
 * backend under test.
 *
 * <p>Thread-safety: JUnit runs one test per instance; the tests start their own threads.
 */
abstract class ExpiryTests extends RefusalTests {

  @Test
  void workLongerThanTheTtlStaysExclusiveThroughRenewal() {
    LockManager holder = newEngine();
    LockManager other = newEngine();
    // Generous for a loaded 2-core CI machine: renewal every ttl/3 tolerates two late periods.
    Duration ttl = Duration.ofMillis(1500);
    try (Lease lease = holder.with("long").ttl(ttl).acquire()) {
      long until = System.nanoTime() + ttl.multipliedBy(2).toNanos();
      int refusals = 0;
      while (System.nanoTime() < until) {
        assertThrows(
            ConcurrencyException.class, () -> other.with("long").run(() -> fail("overlap")));
        assertTrue(lease.isValid(), "renewed lease stays valid");
        refusals++;
      }
      assertTrue(refusals > 0);
    }
    other.with("long").run(() -> {});
  }

  @Test
  void aStaleReleaseAfterExpiryNeverTouchesTheNewOwnersLock() {
    LockManager paused = newEngine();
    LockManager next = newEngine();
    store().renewals = ControllableBackend.Renewals.HANG;
    Lease stale = paused.with("stale").ttl(Duration.ofMillis(100)).acquire();
    Await.until("the unrenewed lease turns invalid", Duration.ofSeconds(5), () -> !stale.isValid());
    store().renewals = ControllableBackend.Renewals.NORMAL;
    try (Lease fresh = next.with("stale").waitTimeout(Duration.ofSeconds(5)).acquire()) {
      assertTrue(fresh.fencingToken() > stale.fencingToken());
      stale.close();
      assertThrows(
          ConcurrencyException.class,
          () -> newEngine().with("stale").run(() -> fail("a third caller got in")));
      assertTrue(fresh.isValid());
    }
  }

  @Test
  void aLostLeaseTurnsInvalidAndIsLoggedAtErrorWithoutDisturbingTheBody() throws Exception {
    LockManager locks = newEngine();
    store().renewals = ControllableBackend.Renewals.LOST;
    try (LogCapture log = LogCapture.library()) {
      Lease lease = locks.with("lost").ttl(Duration.ofMillis(60)).acquire();
      String result;
      try (lease) {
        Await.until(
            "lease lost is logged",
            Duration.ofSeconds(5),
            () -> !log.messages(Level.SEVERE).isEmpty());
        assertFalse(lease.isValid());
        result = "body finished";
      }
      assertEquals("body finished", result);
      assertTrue(log.messages(Level.SEVERE).size() == 1, "lost is reported once");
      assertTrue(
          log.messages(Level.SEVERE).get(0).contains("lost"),
          log.messages(Level.SEVERE).toString());
    }
  }

  @Test
  void cooldownKeepsTheKeyUntilAcquisitionPlusTheInterval() {
    LockManager locks = newEngine();
    LockManager other = newEngine();
    Duration cooldown = Duration.ofMillis(400);
    long start = System.nanoTime();
    locks.with("refresh:1").cooldown(cooldown).run(() -> {});
    assertThrows(
        ConcurrencyException.class, () -> other.with("refresh:1").run(() -> fail("too soon")));
    other.with("refresh:1").waitTimeout(Duration.ofSeconds(5)).run(() -> {});
    long elapsed = System.nanoTime() - start;
    assertTrue(elapsed >= cooldown.toNanos(), "ran again after " + elapsed / 1_000_000 + " ms");
  }

  @Test
  void theCooldownCountsFromAcquisitionNotFromTheEndOfTheBody() {
    LockManager locks = newEngine();
    Duration cooldown = Duration.ofMillis(1000);
    long[] acquiredAt = new long[1];
    locks
        .with("refresh:2")
        .cooldown(cooldown)
        .run(
            () -> {
              acquiredAt[0] = System.nanoTime();
              long until = acquiredAt[0] + 600_000_000L;
              while (System.nanoTime() < until) {
                Thread.onSpinWait();
              }
            });
    newEngine().with("refresh:2").waitTimeout(Duration.ofSeconds(5)).run(() -> {});
    long elapsedMillis = (System.nanoTime() - acquiredAt[0]) / 1_000_000;
    assertTrue(
        elapsedMillis >= 950 && elapsedMillis < 1450,
        "next run after " + elapsedMillis + " ms; from acquisition 1000, from the body's end 1600");
  }

  @Test
  void aRenewalArrivingAfterACooldownReleaseCannotStretchIt() throws Exception {
    LockBackend backend = store();
    assertTrue(
        backend.tryAcquire("late", "owner-1", 10_000).toCompletableFuture().get().acquired());
    assertTrue(backend.release("late", "owner-1", 60_000).toCompletableFuture().get());
    assertFalse(
        backend.renew("late", "owner-1", 1_000).toCompletableFuture().get(),
        "the old owner no longer matches once the cooldown started");
    assertFalse(backend.release("late", "owner-1", 0).toCompletableFuture().get());
    var refused = backend.tryAcquire("late", "owner-2", 10_000).toCompletableFuture().get();
    assertFalse(refused.acquired());
    assertTrue(refused.remainingMillis() > 50_000, "still cooling down: " + refused);
  }

  @Test
  void aResentAcquireByTheSameOwnerGetsTheSameTokenInsteadOfARefusal() throws Exception {
    var first = store().tryAcquire("resend", "owner-1", 10_000).toCompletableFuture().get();
    var resent = store().tryAcquire("resend", "owner-1", 10_000).toCompletableFuture().get();
    assertTrue(first.acquired() && resent.acquired());
    assertEquals(first.fencingToken(), resent.fencingToken());
    assertFalse(
        store().tryAcquire("resend", "owner-2", 10_000).toCompletableFuture().get().acquired());
  }

  @Test
  void cooldownAppliesWhenTheBodyThrows() {
    LockManager locks = newEngine();
    assertThrows(
        IllegalStateException.class,
        () ->
            locks
                .with("c")
                .cooldown(Duration.ofSeconds(30))
                .run(
                    () -> {
                      throw new IllegalStateException("failed refresh");
                    }));
    assertThrows(
        ConcurrencyException.class, () -> newEngine().with("c").run(() -> fail("too soon")));
  }

  @Test
  void aBodyOutlastingTheCooldownReleasesAsUsual() {
    LockManager locks = newEngine();
    Duration cooldown = Duration.ofMillis(30);
    locks
        .with("slow")
        .cooldown(cooldown)
        .run(
            () -> {
              long until = System.nanoTime() + cooldown.multipliedBy(3).toNanos();
              while (System.nanoTime() < until) {
                Thread.onSpinWait();
              }
            });
    newEngine().with("slow").run(() -> {});
  }

  @Test
  void fencingTokensStrictlyIncreaseAcrossSuccessiveOwners() throws Exception {
    LockManager[] owners = {newEngine(), newEngine()};
    long previous = 0;
    for (int i = 0; i < 20; i++) {
      try (Lease lease = owners[i % 2].with("fenced").acquire()) {
        assertTrue(lease.fencingToken() > previous, lease.fencingToken() + " after " + previous);
        previous = lease.fencingToken();
      }
    }
    List<Long> inOrder = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 10; i++) {
                  try (Lease lease =
                      owners[thread % 2]
                          .with("fenced")
                          .waitTimeout(Duration.ofSeconds(30))
                          .acquire()) {
                    inOrder.add(lease.fencingToken());
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(80, inOrder.size());
    for (int i = 1; i < inOrder.size(); i++) {
      assertTrue(inOrder.get(i) > inOrder.get(i - 1), "token " + i + " of " + inOrder);
    }
    assertTrue(inOrder.get(0) > previous);
  }
}
