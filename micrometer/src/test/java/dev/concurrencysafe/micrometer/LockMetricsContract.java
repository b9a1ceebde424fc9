package dev.concurrencysafe.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What LockMetrics records for a scripted run; run against each backend by a subclass. */
abstract class LockMetricsContract {

  static final String PURCHASE = "CacheKey.PURCHASE";
  static final String REWARD = "CacheKey.REWARD";

  /** A manager over the subclass's store with these listeners, in this order. */
  abstract LockManager manager(LockListener... listeners);

  /** How many distinct user ids the cardinality test locks. */
  abstract int distinctUsers();

  final MeterRegistry registry = new SimpleMeterRegistry();
  final LockMetrics metrics = new LockMetrics(registry);

  @Test
  void scriptedRunGivesExactCountsAndPlausibleTimes() throws Exception {
    long scenarioStart = System.nanoTime();
    long holderNanos;
    long refusalsStart;
    long refusalsEnd;
    try (LockManager locks = manager(metrics)) {
      Lease holder = locks.with(CacheKey.PURCHASE, "u1").acquire(); // acquired 1
      long holdStart = System.nanoTime();
      // Contenders run on another thread: on the holder's thread a same-key call would join it.
      refusalsStart = System.nanoTime();
      assertThrows(
          ConcurrencyException.class,
          () ->
              onAnotherThread(
                  () -> locks.with(CacheKey.PURCHASE, "u1").run(() -> {}))); // blocked 1
      assertThrows(
          ConcurrencyException.class,
          () ->
              onAnotherThread(
                  () ->
                      locks
                          .with(CacheKey.PURCHASE, "u1")
                          .waitTimeout(Duration.ofMillis(200))
                          .run(() -> {}))); // blocked 2
      refusalsEnd = System.nanoTime();
      assertFalse(
          onAnotherThreadReturning(
              () -> locks.with(CacheKey.PURCHASE, "u1").tryRun(() -> {}))); // skipped 1
      holderNanos = System.nanoTime() - holdStart;
      holder.close(); // released 1
      locks
          .with(CacheKey.PURCHASE, "u2")
          .cooldown(Duration.ofMinutes(1))
          .run(() -> {}); // acquired 2, cooldown 1
      assertEquals("done", locks.with(CacheKey.PURCHASE, "u3").call(() -> "done")); // acquired 3
    }
    long scenarioNanos = System.nanoTime() - scenarioStart;

    assertEquals(3, attempts(PURCHASE, "acquired"));
    assertEquals(2, attempts(PURCHASE, "blocked"));
    assertEquals(1, attempts(PURCHASE, "skipped"), "a skip is counted apart from refusals");
    assertEquals(1, timer(LockMetrics.WAIT, PURCHASE, "skipped").count());
    assertEquals(0, attempts(PURCHASE, "unavailable"));
    assertEquals(1, counter(LockMetrics.COOLDOWNS, PURCHASE).count());
    assertEquals(0, counter(LockMetrics.LEASE_LOST, PURCHASE).count());

    Timer waitAcquired = timer(LockMetrics.WAIT, PURCHASE, "acquired");
    Timer waitBlocked = timer(LockMetrics.WAIT, PURCHASE, "blocked");
    Timer held = timer(LockMetrics.HELD, PURCHASE, null);
    assertEquals(3, waitAcquired.count());
    assertEquals(2, waitBlocked.count());
    assertEquals(3, held.count());

    // The refusal that waited 200 ms took at least 200 ms, and both refusals together took no
    // longer than we watched them (each ran within its contender thread's lifetime).
    double waitedMax = waitBlocked.max(TimeUnit.NANOSECONDS);
    assertTrue(waitedMax >= TimeUnit.MILLISECONDS.toNanos(200), "blocked wait max " + waitedMax);
    double waitedTotal = waitBlocked.totalTime(TimeUnit.NANOSECONDS);
    assertTrue(
        waitedTotal <= refusalsEnd - refusalsStart,
        "blocked waits " + waitedTotal + " ns > observed " + (refusalsEnd - refusalsStart));
    // Nothing waited while acquiring free keys longer than the whole scenario took.
    assertTrue(waitAcquired.totalTime(TimeUnit.NANOSECONDS) < scenarioNanos);
    // The holder held at least as long as we watched it hold, and all holds fit in the scenario.
    assertTrue(held.max(TimeUnit.NANOSECONDS) >= holderNanos, "held max vs " + holderNanos);
    assertTrue(held.totalTime(TimeUnit.NANOSECONDS) <= scenarioNanos);
  }

  @Test
  void everyMeterOfAKeyIsRegisteredAtItsFirstEventWithTheCatalogName() {
    try (LockManager locks = manager(metrics)) {
      locks.with(CacheKey.REWARD, "user-123456").run(() -> {});
    }
    List<Meter> meters = registry.getMeters();
    assertEquals(
        10, meters.size(), "4 attempt outcomes, 3 wait outcomes, held, lease lost, cooldowns");
    for (Meter meter : meters) {
      assertEquals(REWARD, meter.getId().getTag(LockMetrics.KEY_TAG), meter.getId().toString());
    }
    assertNotNull(
        registry.find(LockMetrics.LEASE_LOST).tag("key", REWARD).counter(),
        "a zero lease-lost series exists for alerting");
  }

  @Test
  void aNestedCallJoiningTheHeldLockIsNotCountedAgain() {
    try (LockManager locks = manager(metrics)) {
      locks
          .with(CacheKey.PURCHASE, "u7")
          .run(() -> locks.with(CacheKey.PURCHASE, "u7").run(() -> {}));
    }
    assertEquals(1, attempts(PURCHASE, "acquired"));
    assertEquals(1, timer(LockMetrics.HELD, PURCHASE, null).count());
  }

  @Test
  void literalKeysAreTaggedAsLiteralNotByTheirText() {
    try (LockManager locks = manager(metrics)) {
      locks.with("lock:refresh:user-987654").run(() -> {});
    }
    Set<String> keyTags = new HashSet<>();
    registry.getMeters().forEach(m -> keyTags.add(m.getId().getTag(LockMetrics.KEY_TAG)));
    assertEquals(Set.of("(literal)"), keyTags);
    assertEquals(1, attempts("(literal)", "acquired"));
  }

  @Test
  void distinctUserIdsDoNotAddMetersOrReachTags() {
    int users = distinctUsers();
    try (LockManager locks = manager(metrics)) {
      locks.with(CacheKey.REWARD, userId(0)).run(() -> {});
      int metersAfterFirstUser = registry.getMeters().size();
      for (int i = 1; i < users; i++) {
        locks.with(CacheKey.REWARD, userId(i)).run(() -> {});
      }
      assertEquals(metersAfterFirstUser, registry.getMeters().size());
    }
    assertEquals(users, attempts(REWARD, "acquired"));
    assertEquals(users, timer(LockMetrics.HELD, REWARD, null).count());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < users; i++) {
      ids.add(userId(i));
    }
    for (Meter meter : registry.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        assertFalse(tag.getValue().contains("user-"), "a user id in " + meter.getId());
        assertFalse(ids.contains(tag.getValue()), "a user id in " + meter.getId());
      }
    }
  }

  @Test
  void aThrowingListenerBeforeMetricsDoesNotStopItsRecordingNorTheCaller() {
    AtomicInteger brokenCalls = new AtomicInteger();
    LockListener broken =
        event -> {
          brokenCalls.incrementAndGet();
          throw new IllegalStateException("listener bug");
        };
    try (LockManager locks = manager(broken, metrics)) {
      assertEquals(42, locks.with(CacheKey.PURCHASE, "u9").call(() -> 42));
      try (Lease held = locks.with(CacheKey.PURCHASE, "u9").acquire()) {
        assertTrue(held.isValid());
        assertThrows(
            ConcurrencyException.class,
            () -> onAnotherThread(() -> locks.with(CacheKey.PURCHASE, "u9").run(() -> {})));
      }
    }
    assertEquals(2, attempts(PURCHASE, "acquired"));
    assertEquals(1, attempts(PURCHASE, "blocked"));
    assertEquals(2, timer(LockMetrics.HELD, PURCHASE, null).count());
    assertEquals(5, brokenCalls.get(), "the broken listener saw every event before LockMetrics");
  }

  /** Runs {@code body} on a fresh thread and rethrows what it threw, unwrapped. */
  static void onAnotherThread(Runnable body) throws Exception {
    Thread[] worker = new Thread[1];
    Throwable[] thrown = new Throwable[1];
    worker[0] =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable t) {
                thrown[0] = t;
              }
            },
            "contender");
    worker[0].start();
    worker[0].join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(worker[0].isAlive(), "contender still running after 10 s");
    if (thrown[0] instanceof Exception e) {
      throw e;
    } else if (thrown[0] instanceof Error e) {
      throw e;
    }
  }

  /** {@link #onAnotherThread} for a body with a boolean result. */
  static boolean onAnotherThreadReturning(java.util.function.BooleanSupplier body)
      throws Exception {
    boolean[] result = new boolean[1];
    onAnotherThread(() -> result[0] = body.getAsBoolean());
    return result[0];
  }

  static String userId(int i) {
    return String.format("user-%05d-x", i);
  }

  double attempts(String keyName, String outcome) {
    Counter counter =
        registry.find(LockMetrics.ATTEMPTS).tag("key", keyName).tag("outcome", outcome).counter();
    assertNotNull(counter, "no attempts counter for " + keyName + "/" + outcome);
    return counter.count();
  }

  Counter counter(String name, String keyName) {
    Counter counter = registry.find(name).tag("key", keyName).counter();
    assertNotNull(counter, "no counter " + name + " for " + keyName);
    return counter;
  }

  Timer timer(String name, String keyName, String outcome) {
    var search = registry.find(name).tag("key", keyName);
    Timer timer = outcome == null ? search.timer() : search.tag("outcome", outcome).timer();
    assertNotNull(timer, "no timer " + name + " for " + keyName + "/" + outcome);
    return timer;
  }
}
