package dev.concurrencysafe.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockManagerBuilder;
import dev.concurrencysafe.spi.LockBackend;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link LockBackend} must give through the engine: extend it, supply a real,
 * empty store per test, and run it with JUnit 5. Each test builds managers with {@link
 * LockManagerBuilder#backend(LockBackend)} over the one store, so two managers stand for two
 * processes; a backend passes when every test does. The built-in Redis and in-memory backends run
 * it in this artifact's own build, and a deliberately broken backend is shown to fail it.
 *
 * <pre>{@code
 * class MyBackendContractTest extends LockBackendContract {
 *   protected LockBackend newBackend() { return new MyBackend(freshStore()); }
 *   protected long storedEntries() { return countEntriesIn(store); }
 * }
 * }</pre>
 *
 * <p>The suite wraps the backend to simulate hanging or lost renewals and lost release
 * notifications, so a backend needs nothing beyond the SPI. Tests take a few seconds each at most
 * (ttl and cooldown tests wait out short real times).
 *
 * <p>Thread-safety: JUnit runs one test per instance; the tests start their own threads.
 */
public abstract class LockBackendContract {

  /** A fresh, empty store for each test; closed after the test. */
  protected abstract LockBackend newBackend();

  /** Entries currently in the store (keys in Redis), to prove that releases leave nothing. */
  protected abstract long storedEntries();

  /** The store under test, wrapped so tests can make renewals hang or fail. */
  ControllableBackend store;

  private LockBackend realBackend;
  private final List<LockManager> engines = new ArrayList<>();

  /** For JUnit and subclasses. */
  protected LockBackendContract() {}

  /** Opens the store for one test. */
  @BeforeEach
  void openStore() {
    realBackend = newBackend();
    store = new ControllableBackend(realBackend);
  }

  @AfterEach
  void closeEngines() {
    engines.forEach(LockManager::close);
    realBackend.close();
  }

  /** A manager (one "process") over the store under test, with default settings. */
  protected LockManager newEngine() {
    return newEngine(Duration.ofSeconds(3));
  }

  /** A manager over the store under test with this unavailable timeout and these listeners. */
  protected LockManager newEngine(Duration unavailableTimeout, LockListener... listeners) {
    return newEngine(builder -> {
      builder.unavailableTimeout(unavailableTimeout);
      for (LockListener listener : listeners) {
        builder.listener(listener);
      }
      return builder;
    });
  }

  /** A manager over the store under test, configured by {@code settings}; closed after the test. */
  protected LockManager newEngine(UnaryOperator<LockManagerBuilder> settings) {
    LockManager engine = settings.apply(LockManager.builder()
        .fencingRetention(Duration.ofMinutes(10))).backend(store);
    engines.add(engine);
    return engine;
  }

  /** A catalog, so that refusals have a key name. */
  enum StormKey implements dev.concurrencysafe.LockKey {
    PURCHASE;

    @Override
    public String pattern() {
      return "storm:{userId}";
    }

    @Override
    public Duration ttl() {
      return Duration.ofSeconds(10);
    }
  }

  @Test
  void aDuplicateStormLogsTheFirstRefusalPerIntervalAndSumsUpTheRestWithExactCounts() {
    List<LockEvent> blocked = new java.util.concurrent.CopyOnWriteArrayList<>();
    Duration interval = Duration.ofMillis(700);
    LockManager storm = newEngine(builder -> builder.listener(event -> {
      if (event.type() == LockEvent.Type.BLOCKED) {
        blocked.add(event);
      }
    }).repeatedLogInterval(interval));
    int duplicates = 300;
    try (LogCapture log = LogCapture.library();
        Lease held = newEngine().with(StormKey.PURCHASE, 7).acquire()) {
      long started = System.nanoTime();
      for (int i = 0; i < duplicates; i++) {
        assertThrows(ConcurrencyException.class,
            () -> storm.with(StormKey.PURCHASE, 7).run(() -> fail("a duplicate must not run")));
      }
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      String summary = "[concurrency-safe] ... and ";
      // every window that counted more than its first refusal ends with one summary line
      Await.until("the last interval's summary", Duration.ofSeconds(10), () -> {
        List<String> lines = log.messages(Level.WARNING);
        return !lines.isEmpty() && lines.get(lines.size() - 1).startsWith(summary);
      });
      List<String> lines = log.messages(Level.WARNING);
      long counted = 0;
      long full = 0;
      for (String line : lines) {
        if (line.startsWith(summary)) {
          assertTrue(line.matches("\\[concurrency-safe\\] \\.\\.\\. and [0-9,]+ more refusals of"
              + " StormKey\\.PURCHASE in the last 700 ms"), line);
          counted += Long.parseLong(line.substring(summary.length()).split(" ")[0].replace(",", ""));
        } else {
          assertEquals("[concurrency-safe] blocked: key=storm:7 is held elsewhere", line);
          full++;
          counted++;
        }
      }
      assertEquals(duplicates, counted, "every refusal is in a line or a summary: " + lines);
      long windows = elapsedMillis / interval.toMillis() + 2;
      assertTrue(full <= windows && lines.size() <= 2 * windows,
          lines.size() + " lines for " + duplicates + " refusals in " + elapsedMillis + " ms: " + lines);
      assertEquals(duplicates, blocked.size(), "listeners see every refusal");
      assertTrue(held.isValid());
    }
  }

  @Test
  void aZeroRepeatedLogIntervalLogsEveryRefusal() {
    LockManager storm = newEngine(builder -> builder.repeatedLogInterval(Duration.ZERO));
    try (LogCapture log = LogCapture.library();
        Lease held = newEngine().with(StormKey.PURCHASE, 8).acquire()) {
      for (int i = 0; i < 5; i++) {
        assertThrows(ConcurrencyException.class,
            () -> storm.with(StormKey.PURCHASE, 8).run(() -> fail("a duplicate must not run")));
      }
      assertEquals(5, log.messages(Level.WARNING).size(), log.allMessages().toString());
    }
  }

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
    IOException thrown = assertThrows(IOException.class, () -> locks.with("k").run(() -> {
      throw boom;
    }));
    assertSame(boom, thrown);
    IllegalStateException unchecked = new IllegalStateException("bad");
    assertSame(unchecked, assertThrows(IllegalStateException.class,
        () -> locks.with("k").call(() -> {
          throw unchecked;
        })));
    assertEquals("ok", newEngine().with("k").call(() -> "ok"), "released after the exceptions");
  }

  @Test
  void duplicateFailsFastWithTheDefaultExceptionAndOneLogLine() {
    LockManager first = newEngine();
    LockManager second = newEngine();
    try (LogCapture log = LogCapture.library(); Lease held = first.with("pay:7").acquire()) {
      ConcurrencyException refused = assertThrows(ConcurrencyException.class,
          () -> second.with("pay:7").run(() -> fail("a duplicate must not run")));
      assertEquals("Please try again in a moment.", refused.getMessage());
      assertEquals("pay:7", refused.key());
      List<String> warnings = log.messages(Level.WARNING);
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("pay:7"), warnings.get(0));
      assertTrue(held.isValid());
    }
  }

  @Test
  void onBlockedBuildsTheExceptionFromTheBlockedMessageAtTheChosenLevel() {
    LockManager locks = newEngine();
    LockManager other = newEngine();
    try (LogCapture log = LogCapture.library(); Lease held = locks.with("refresh:3").acquire()) {
      IllegalStateException refused = assertThrows(IllegalStateException.class,
          () -> other.with("refresh:3")
              .blockedMessage("try again later")
              .blockedLogLevel(System.Logger.Level.INFO)
              .onBlocked(IllegalStateException::new)
              .run(() -> fail("must not run")));
      assertEquals("try again later", refused.getMessage());
      assertEquals(1, log.messages(Level.INFO).stream().filter(m -> m.contains("refresh:3")).count());
      assertEquals(0, log.messages(Level.WARNING).size());
    }
  }

  @Test
  void nestedSameKeyInsideTheBodyJoinsTheHeldLeaseOtherThreadsAreBlocked() throws Exception {
    LockManager locks = newEngine();
    long[] tokens = new long[2];
    locks.with("r").run(() -> {
      int attemptsBefore = store.acquireAttempts.get();
      tokens[0] = locks.with("r").call(() -> {
        try (Lease inner = locks.with("r").acquire()) {
          return inner.fencingToken();
        }
      });
      try (Lease again = locks.with("r").acquire()) {
        tokens[1] = again.fencingToken();
      }
      assertEquals(attemptsBefore, store.acquireAttempts.get(), "joining needs no round trip");
      assertThrows(ConcurrencyException.class, () -> newEngine().with("r").run(() -> fail(
          "closing a nested lease must not release the outer one")));
      ExecutorService other = Executors.newSingleThreadExecutor();
      try {
        other.submit(() -> assertThrows(ConcurrencyException.class,
            () -> locks.with("r").run(() -> fail("another thread is a duplicate"))))
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
    assertThrows(ConcurrencyException.class,
        () -> locks.with("hand").run(() -> fail("the duplicate ran by joining a handed-off lease")));
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
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < rounds; i++) {
          int key = (thread + i) % keys;
          boolean longerThanTtl = thread == i % threads && i % 8 == 0;
          processes[(thread + i) % 2].with("exclusive:" + key).ttl(Duration.ofMillis(1000))
              .waitTimeout(Duration.ofSeconds(60))
              .run(() -> {
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
  void workLongerThanTheTtlStaysExclusiveThroughRenewal() {
    LockManager holder = newEngine();
    LockManager other = newEngine();
    // Generous for a loaded 2-core CI machine: renewal every ttl/3 tolerates two late periods.
    Duration ttl = Duration.ofMillis(1500);
    try (Lease lease = holder.with("long").ttl(ttl).acquire()) {
      long until = System.nanoTime() + ttl.multipliedBy(2).toNanos();
      int refusals = 0;
      while (System.nanoTime() < until) {
        assertThrows(ConcurrencyException.class, () -> other.with("long").run(() -> fail("overlap")));
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
    store.renewals = ControllableBackend.Renewals.HANG;
    Lease stale = paused.with("stale").ttl(Duration.ofMillis(100)).acquire();
    Await.until("the unrenewed lease turns invalid", Duration.ofSeconds(5), () -> !stale.isValid());
    store.renewals = ControllableBackend.Renewals.NORMAL;
    try (Lease fresh = next.with("stale").waitTimeout(Duration.ofSeconds(5)).acquire()) {
      assertTrue(fresh.fencingToken() > stale.fencingToken());
      stale.close();
      assertThrows(ConcurrencyException.class,
          () -> newEngine().with("stale").run(() -> fail("a third caller got in")));
      assertTrue(fresh.isValid());
    }
  }

  @Test
  void aLostLeaseTurnsInvalidAndIsLoggedAtErrorWithoutDisturbingTheBody() throws Exception {
    LockManager locks = newEngine();
    store.renewals = ControllableBackend.Renewals.LOST;
    try (LogCapture log = LogCapture.library()) {
      Lease lease = locks.with("lost").ttl(Duration.ofMillis(60)).acquire();
      String result;
      try (lease) {
        Await.until("lease lost is logged", Duration.ofSeconds(5),
            () -> !log.messages(Level.SEVERE).isEmpty());
        assertFalse(lease.isValid());
        result = "body finished";
      }
      assertEquals("body finished", result);
      assertTrue(log.messages(Level.SEVERE).size() == 1, "lost is reported once");
      assertTrue(log.messages(Level.SEVERE).get(0).contains("lost"), log.messages(Level.SEVERE).toString());
    }
  }

  @Test
  void cooldownKeepsTheKeyUntilAcquisitionPlusTheInterval() {
    LockManager locks = newEngine();
    LockManager other = newEngine();
    Duration cooldown = Duration.ofMillis(400);
    long start = System.nanoTime();
    locks.with("refresh:1").cooldown(cooldown).run(() -> {});
    assertThrows(ConcurrencyException.class, () -> other.with("refresh:1").run(() -> fail("too soon")));
    other.with("refresh:1").waitTimeout(Duration.ofSeconds(5)).run(() -> {});
    long elapsed = System.nanoTime() - start;
    assertTrue(elapsed >= cooldown.toNanos(), "ran again after " + elapsed / 1_000_000 + " ms");
  }

  @Test
  void theCooldownCountsFromAcquisitionNotFromTheEndOfTheBody() {
    LockManager locks = newEngine();
    Duration cooldown = Duration.ofMillis(1000);
    long[] acquiredAt = new long[1];
    locks.with("refresh:2").cooldown(cooldown).run(() -> {
      acquiredAt[0] = System.nanoTime();
      long until = acquiredAt[0] + 600_000_000L;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    });
    newEngine().with("refresh:2").waitTimeout(Duration.ofSeconds(5)).run(() -> {});
    long elapsedMillis = (System.nanoTime() - acquiredAt[0]) / 1_000_000;
    assertTrue(elapsedMillis >= 950 && elapsedMillis < 1450,
        "next run after " + elapsedMillis + " ms; from acquisition 1000, from the body's end 1600");
  }

  @Test
  void aRenewalArrivingAfterACooldownReleaseCannotStretchIt() throws Exception {
    LockBackend backend = store;
    assertTrue(backend.tryAcquire("late", "owner-1", 10_000).toCompletableFuture().get().acquired());
    assertTrue(backend.release("late", "owner-1", 60_000).toCompletableFuture().get());
    assertFalse(backend.renew("late", "owner-1", 1_000).toCompletableFuture().get(),
        "the old owner no longer matches once the cooldown started");
    assertFalse(backend.release("late", "owner-1", 0).toCompletableFuture().get());
    var refused = backend.tryAcquire("late", "owner-2", 10_000).toCompletableFuture().get();
    assertFalse(refused.acquired());
    assertTrue(refused.remainingMillis() > 50_000, "still cooling down: " + refused);
  }

  @Test
  void aResentAcquireByTheSameOwnerGetsTheSameTokenInsteadOfARefusal() throws Exception {
    var first = store.tryAcquire("resend", "owner-1", 10_000).toCompletableFuture().get();
    var resent = store.tryAcquire("resend", "owner-1", 10_000).toCompletableFuture().get();
    assertTrue(first.acquired() && resent.acquired());
    assertEquals(first.fencingToken(), resent.fencingToken());
    assertFalse(store.tryAcquire("resend", "owner-2", 10_000).toCompletableFuture().get().acquired());
  }

  @Test
  void cooldownAppliesWhenTheBodyThrows() {
    LockManager locks = newEngine();
    assertThrows(IllegalStateException.class, () -> locks.with("c").cooldown(Duration.ofSeconds(30))
        .run(() -> {
          throw new IllegalStateException("failed refresh");
        }));
    assertThrows(ConcurrencyException.class, () -> newEngine().with("c").run(() -> fail("too soon")));
  }

  @Test
  void aBodyOutlastingTheCooldownReleasesAsUsual() {
    LockManager locks = newEngine();
    Duration cooldown = Duration.ofMillis(30);
    locks.with("slow").cooldown(cooldown).run(() -> {
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
      done.add(pool.submit(() -> {
        for (int i = 0; i < 10; i++) {
          try (Lease lease = owners[thread % 2].with("fenced").waitTimeout(Duration.ofSeconds(30))
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

  @Test
  void aWaiterWakesOnReleaseLongBeforeTheHoldersTtl() throws Exception {
    LockManager holder = newEngine();
    LockManager waiter = newEngine();
    Lease held = holder.with("w").ttl(Duration.ofSeconds(30)).acquire();
    int before = store.acquireAttempts.get();
    CompletableFuture<Long> acquiredAt = CompletableFuture.supplyAsync(
        () -> waiter.with("w").waitTimeout(Duration.ofSeconds(20)).call(System::nanoTime));
    Await.until("the waiter has tried twice (fail fast, then subscribed)", Duration.ofSeconds(5),
        () -> store.acquireAttempts.get() >= before + 2);
    long releasedAt = System.nanoTime();
    held.close();
    long gapMillis = (acquiredAt.get(10, TimeUnit.SECONDS) - releasedAt) / 1_000_000;
    assertTrue(gapMillis < 1000, "woke after " + gapMillis + " ms; the ttl was 30 s");
    assertTrue(store.acquireAttempts.get() - before <= 3,
        "a waiter does not poll: " + (store.acquireAttempts.get() - before) + " attempts");
  }

  @Test
  void aReleaseWakesOneLocalWaiterNotAll() throws Exception {
    int waiters = 8;
    LockManager holder = newEngine();
    LockManager waiting = newEngine();
    Lease held = holder.with("queue").ttl(Duration.ofSeconds(30)).acquire();
    int before = store.acquireAttempts.get();
    ExecutorService pool = Executors.newFixedThreadPool(waiters);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < waiters; i++) {
        done.add(pool.submit(() -> waiting.with("queue").waitTimeout(Duration.ofSeconds(20))
            .run(() -> {})));
      }
      Await.until("all waiters subscribed", Duration.ofSeconds(10),
          () -> store.acquireAttempts.get() >= before + 2 * waiters);
      held.close();
      for (Future<?> f : done) {
        f.get(20, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int handOverAttempts = store.acquireAttempts.get() - before - 2 * waiters;
    assertTrue(handOverAttempts <= waiters + 4,
        handOverAttempts + " attempts for " + waiters + " hand-overs (waking all would be ~36)");
  }

  @Test
  void aWaiterWhoseNotificationIsLostStillGetsInWhenTheHoldersTtlRunsOut() throws Exception {
    LockManager holder = newEngine();
    store.dropNotifications = true;
    store.renewals = ControllableBackend.Renewals.HANG;
    Lease crashed = holder.with("lost-wakeup").ttl(Duration.ofMillis(700)).acquire();
    long start = System.nanoTime();
    long acquiredAt = newEngine().with("lost-wakeup").waitTimeout(Duration.ofSeconds(10))
        .call(System::nanoTime);
    long waitedMillis = (acquiredAt - start) / 1_000_000;
    assertTrue(waitedMillis < 1700, "got in " + waitedMillis + " ms after a 700 ms ttl");
    assertFalse(crashed.isValid());
  }

  @Test
  void aWaiterGivesUpAtItsWaitTimeout() {
    LockManager holder = newEngine();
    try (Lease held = holder.with("busy").acquire()) {
      long start = System.nanoTime();
      assertThrows(ConcurrencyException.class, () -> newEngine().with("busy")
          .waitTimeout(Duration.ofMillis(300)).run(() -> fail("must not run")));
      long waited = (System.nanoTime() - start) / 1_000_000;
      assertTrue(waited >= 300 && waited < 3000, "waited " + waited + " ms");
    }
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
  @SuppressWarnings({"NullAway", "CheckReturnValue"}) // a body returning null, on purpose
  void callAsyncHoldsTheLockUntilTheStageCompletesAndFreesTheCallingThread() throws Exception {
    LockManager locks = newEngine();
    CompletableFuture<String> work = new CompletableFuture<>();
    long[] nestedToken = new long[1];
    CompletionStage<String> result = locks.with("async:1").callAsync(() -> {
      try (Lease nested = locks.with("async:1").acquire()) {
        nestedToken[0] = nested.fencingToken();
      }
      return work;
    });
    assertTrue(nestedToken[0] > 0, "inside the body a nested call joins");
    assertThrows(ConcurrencyException.class, () -> locks.with("async:1").run(() -> fail(
        "after callAsync returned, the calling thread is a duplicate while the work runs")));
    assertFalse(result.toCompletableFuture().isDone());
    CompletableFuture.runAsync(() -> work.complete("done")).get(10, TimeUnit.SECONDS);
    assertEquals("done", result.toCompletableFuture().get(10, TimeUnit.SECONDS));
    locks.with("async:1").run(() -> {});

    IllegalStateException failure = new IllegalStateException("async failure");
    CompletionStage<String> failed = locks.with("async:2")
        .callAsync(() -> CompletableFuture.failedFuture(failure));
    java.util.concurrent.ExecutionException thrown = assertThrows(
        java.util.concurrent.ExecutionException.class, () -> failed.toCompletableFuture().get());
    assertSame(failure, thrown.getCause());
    locks.with("async:2").run(() -> {});
    expect(NullPointerException.class, "body must return a CompletionStage, but returned null",
        () -> locks.with("async:3").callAsync(() -> null));
    locks.with("async:3").run(() -> {});
  }

  @Test
  void leasesCanBeClosedFromAnotherThread() throws Exception {
    LockManager locks = newEngine();
    Lease lease = locks.with("async").acquire();
    CompletableFuture.runAsync(lease::close).get(10, TimeUnit.SECONDS);
    locks.with("async").run(() -> {});
  }

  @Test
  @SuppressWarnings({"NullAway", "CheckReturnValue"}) // nulls and dropped specs, on purpose
  void badArgumentsGetTypedErrorsNamingTheValueAndLeaveNothingInTheStore() {
    LockManager locks = newEngine();
    expect(NullPointerException.class, "key must not be null", () -> locks.with((String) null));
    expect(IllegalArgumentException.class, "key must not be blank, but was ' '", () -> locks.with(" "));
    expect(IllegalArgumentException.class, "key must not contain '{' or '}'", () -> locks.with("a{b}"));
    expect(IllegalArgumentException.class, "key must be at most 1024 bytes in UTF-8, but was 1025",
        () -> locks.with("x".repeat(1025)));
    expect(NullPointerException.class, "ttl must not be null", () -> locks.with("k").ttl(null));
    expect(IllegalArgumentException.class, "ttl must be > 0, but was PT0S",
        () -> locks.with("k").ttl(Duration.ZERO));
    expect(IllegalArgumentException.class, "ttl must be > 0, but was PT-1S",
        () -> locks.with("k").ttl(Duration.ofSeconds(-1)));
    expect(IllegalArgumentException.class, "ttl must be >= 1ms, but was PT0.0005S",
        () -> locks.with("k").ttl(Duration.ofNanos(500_000)));
    expect(IllegalArgumentException.class, "ttl must be <= 365 days, but was PT9600H",
        () -> locks.with("k").ttl(Duration.ofDays(400)));
    expect(IllegalArgumentException.class, "waitTimeout must be >= 0, but was PT-0.001S",
        () -> locks.with("k").waitTimeout(Duration.ofMillis(-1)));
    expect(NullPointerException.class, "waitTimeout must not be null",
        () -> locks.with("k").waitTimeout(null));
    expect(IllegalArgumentException.class, "cooldown must be >= 0, but was PT-1M",
        () -> locks.with("k").cooldown(Duration.ofMinutes(-1)));
    expect(NullPointerException.class, "onBlocked exceptionFactory must not be null",
        () -> locks.with("k").onBlocked(null));
    expect(NullPointerException.class, "blockedMessage must not be null",
        () -> locks.with("k").blockedMessage(null));
    expect(NullPointerException.class, "blockedLogLevel must not be null",
        () -> locks.with("k").blockedLogLevel(null));
    expect(NullPointerException.class, "body must not be null",
        () -> locks.with("k").run((dev.concurrencysafe.CheckedRunnable<RuntimeException>) null));
    expect(NullPointerException.class, "body must not be null",
        () -> locks.with("k").call((dev.concurrencysafe.CheckedCallable<Object, RuntimeException>) null));
    expect(IllegalArgumentException.class, "key must not contain control characters",
        () -> locks.with("a\nforged log line"));
    expect(NullPointerException.class, "key must not be null",
        () -> locks.with((dev.concurrencysafe.LockKey) null, 1));
    dev.concurrencysafe.LockKey byId = new dev.concurrencysafe.LockKey() {
      @Override
      public String pattern() {
        return "{id}";
      }

      @Override
      public Duration ttl() {
        return Duration.ofSeconds(1);
      }

      @Override
      public String format(Object... args) {
        return "{sneaky}";
      }
    };
    expect(IllegalArgumentException.class, "pattern '{id}' has 1 placeholder(s) [id], but 2",
        () -> locks.with(byId, 1, 2));
    expect(IllegalArgumentException.class, "key formatted from pattern '{id}' must not be blank",
        () -> locks.with(byId, ""));
    expect(IllegalArgumentException.class, "argument for {id} in pattern '{id}' must have a stable"
        + " text form", () -> locks.with(byId, new Object()));
    expect(IllegalArgumentException.class, "argument for {id} in pattern '{id}' must have a stable"
        + " text form", () -> locks.with(byId, (Object) new int[] {1}));
    assertEquals(0, storedEntries(), "no key may be left by rejected arguments");
    try (Lease escaped = locks.with(byId, "x").acquire()) {
      assertEquals("x", escaped.key(), "an overridden format() cannot bypass escaping");
    }
    try (Lease held = locks.with("k").acquire()) {
      expect(NullPointerException.class, "onBlocked factory must return an exception, but returned null"
          + " for key 'k'", () -> newEngine().with("k").onBlocked(message -> null).run(() -> {}));
    }
    locks.close();
    expect(IllegalStateException.class, "LockManager is closed", () -> locks.with("k"));
  }

  @Test
  void listenersSeeEachOutcomeInOrderAndAThrowingListenerBreaksNothing() {
    List<LockEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    LockListener throwing = event -> {
      throw new IllegalStateException("listener bug");
    };
    LockManager locks = newEngine(Duration.ofSeconds(3), throwing, seen::add);
    LockManager other = newEngine();
    try (LogCapture log = LogCapture.library()) {
      locks.with("ev").run(() -> {});
      try (Lease held = other.with("ev").acquire()) {
        assertThrows(ConcurrencyException.class, () -> locks.with("ev").run(() -> fail()));
      }
      locks.with("ev").cooldown(Duration.ofSeconds(30)).run(() -> {});
      assertTrue(log.messages(Level.WARNING).stream().anyMatch(m -> m.contains("listener")),
          "a failing listener is logged");
    }
    assertEquals(List.of(LockEvent.Type.ACQUIRED, LockEvent.Type.RELEASED, LockEvent.Type.BLOCKED,
        LockEvent.Type.ACQUIRED, LockEvent.Type.RELEASED, LockEvent.Type.COOLDOWN_STARTED),
        seen.stream().map(LockEvent::type).toList());
    assertTrue(seen.stream().allMatch(e -> e.key().equals("ev") && e.keyName().equals("(literal)")));
    assertTrue(seen.get(0).fencingToken() > 0);
    assertEquals(seen.get(0).fencingToken(), seen.get(1).fencingToken());
    assertTrue(seen.get(5).duration().toMillis() > 29_000, seen.get(5).toString());

    store.renewals = ControllableBackend.Renewals.LOST;
    locks.with("ev2").ttl(Duration.ofMillis(30)).run(() -> Await.until("lease lost event",
        Duration.ofSeconds(5), () -> seen.stream().anyMatch(e -> e.type() == LockEvent.Type.LEASE_LOST)));
  }

  static void expect(Class<? extends Throwable> type, String messageStart, Runnable call) {
    String message = assertThrows(type, call::run).getMessage();
    assertTrue(message != null && message.startsWith(messageStart),
        "message '" + message + "' should start with '" + messageStart + "'");
  }
}
