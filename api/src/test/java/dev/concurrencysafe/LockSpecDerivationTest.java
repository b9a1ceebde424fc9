package dev.concurrencysafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A {@link LockSpec} is a value: deriving from it never changes it, from any thread. */
class LockSpecDerivationTest {

  private final LockManager manager = LockManager.inMemory();

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void everySetterReturnsANewSpecAndLeavesTheBaseAsItWas() {
    LockSpec base = manager.with("lock:derive:base").ttl(Duration.ofSeconds(5));
    String before = base.toString();

    List<LockSpec> derived =
        List.of(
            base.ttl(Duration.ofSeconds(9)),
            base.waitTimeout(Duration.ofSeconds(2)),
            base.cooldown(Duration.ofMinutes(1)),
            base.onBlocked(IllegalStateException::new),
            base.blockedMessage("busy"),
            base.blockedLogLevel(System.Logger.Level.DEBUG),
            base.failOpen());

    for (LockSpec spec : derived) {
      assertNotSame(base, spec);
    }
    assertEquals(before, base.toString());
    assertEquals(
        "LockSpec[key=lock:derive:base, ttl=PT5S, waitTimeout=PT0S, cooldown=PT0S]", before);
    assertEquals(
        "LockSpec[key=lock:derive:base, ttl=PT5S, waitTimeout=PT0S, cooldown=PT1M]",
        derived.get(2).toString());
  }

  @Test
  void aDerivedSpecBehavesDifferentlyWhileTheBaseKeepsItsOwnBehaviour() {
    LockSpec base = manager.with("lock:derive:behaviour");
    LockSpec custom = base.blockedMessage("already running").onBlocked(IllegalStateException::new);
    LockSpec withCooldown = base.cooldown(Duration.ofMinutes(10));

    try (Lease held = base.acquire()) {
      assertEquals(
          "already running",
          assertThrows(IllegalStateException.class, () -> custom.run(() -> {})).getMessage());
      ConcurrencyException refused =
          assertThrows(ConcurrencyException.class, () -> base.run(() -> {}));
      assertEquals(LockSpec.DEFAULT_BLOCKED_MESSAGE, refused.getMessage());
    }
    // the base has no cooldown: released at once, so it can run again straight away
    base.run(() -> {});
    withCooldown.run(() -> {});
    assertThrows(
        ConcurrencyException.class,
        () -> base.run(() -> {}),
        "the derived spec's cooldown applies to its own run, which holds the shared key");
  }

  /**
   * Threads derive their own blocked message from one shared base at the same time and each must
   * see its own: with a mutable builder they overwrite each other's setting between set and use.
   */
  @Test
  void threadsDerivingFromOneSharedBaseSeeOnlyTheirOwnSettings() throws Exception {
    LockSpec base = manager.with("lock:derive:shared");
    int threads = 4;
    int rounds = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try (Lease held = base.acquire()) {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String mine = "thread " + t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<String> wrong = new ArrayList<>();
                  for (int round = 0; round < rounds; round++) {
                    LockSpec spec = base.blockedMessage(mine + " round " + round);
                    try {
                      spec.run(() -> wrong.add("ran while the key was held"));
                    } catch (ConcurrencyException expected) {
                      if (!expected.getMessage().equals(mine + " round " + round)) {
                        wrong.add(expected.getMessage());
                      }
                    }
                  }
                  return wrong;
                }));
      }
      start.countDown();
      for (Future<List<String>> result : results) {
        assertEquals(List.of(), result.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    }
    assertEquals(
        LockSpec.DEFAULT_BLOCKED_MESSAGE,
        assertThrows(
                ConcurrencyException.class,
                () -> {
                  try (Lease again = base.acquire()) {
                    base.run(() -> {});
                  }
                })
            .getMessage());
  }
}
