package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.CheckedCallable;
import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockManagerBuilder;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisExtension;
import dev.concurrencysafe.testing.RedisServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;

/** acquireAsync / callAsync / tryCallAsync against a real redis-server. */
class AsyncAcquisitionTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();

  private RedissonClient client;
  private LockManager locks;
  private RedissonBackend backend;

  @BeforeEach
  void connect() {
    client = SkipWhenBusyTest.client(redis.uri());
    LockManagerBuilder builder = LockManager.builder().unavailableTimeout(Duration.ofSeconds(1));
    backend = (RedissonBackend) builder.redissonBackend(client);
    locks = builder.backend(backend);
  }

  @AfterEach
  void disconnect() {
    locks.close();
    client.shutdown();
  }

  @Test
  void aFreeKeyIsAcquiredWithAFencingTokenAndReleasedByCloseAsync() throws Exception {
    Lease lease = get(locks.with("a:free").acquireAsync());
    assertTrue(lease.isValid() && lease.fencingToken() > 0);
    assertEquals("1", redis.command("EXISTS", "{a:free}"));
    get(lease.closeAsync());
    assertEquals("0", redis.command("EXISTS", "{a:free}"));
    try (Lease next = get(locks.with("a:free").acquireAsync())) {
      assertTrue(next.fencingToken() > lease.fencingToken(), "tokens increase across owners");
    }
  }

  @Test
  void aHeldKeyFailsFastThroughTheStageWithoutSubscribing() {
    try (Lease held = locks.with("a:held").acquire()) {
      ExecutionException refused =
          assertThrows(
              ExecutionException.class,
              () -> get(locks.with("a:held").blockedMessage("busy").acquireAsync()));
      assertInstanceOf(ConcurrencyException.class, refused.getCause());
      assertEquals("busy", refused.getCause().getMessage());
      assertEquals(Optional.empty(), getUnchecked(locks.with("a:held").tryAcquireAsync()));
      assertEquals(0, redis.server().subscribers(dev.concurrencysafe.RedisLayout.RELEASE_CHANNEL));
      assertTrue(held.isValid());
    }
  }

  @Test
  void aWaiterIsServedWhenTheHolderReleases() throws Exception {
    Lease held = locks.with("a:wait").acquire();
    CompletableFuture<Lease> waiter =
        locks
            .with("a:wait")
            .waitTimeout(Duration.ofSeconds(30))
            .acquireAsync()
            .toCompletableFuture();
    awaitSubscribers(1);
    assertFalse(waiter.isDone());
    held.close();
    try (Lease served = waiter.get(20, TimeUnit.SECONDS)) {
      assertTrue(served.fencingToken() > held.fencingToken());
    }
    awaitNoLocalWaiters();
  }

  @Test
  void theWaitTimeoutRunsOutIntoTheRefusalAndTheSubscriptionIsClosed() {
    try (Lease held = locks.with("a:timeout").acquire()) {
      long started = System.nanoTime();
      CompletableFuture<Lease> waiter =
          locks
              .with("a:timeout")
              .waitTimeout(Duration.ofMillis(300))
              .acquireAsync()
              .toCompletableFuture();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> waiter.get(20, TimeUnit.SECONDS));
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertInstanceOf(ConcurrencyException.class, e.getCause());
      assertTrue(waitedMillis >= 300, "gave up after " + waitedMillis + " ms");
      awaitNoLocalWaiters();
      assertTrue(held.isValid());
    }
  }

  @Test
  void cancellingAWaitStopsItAndLeavesNoLockAndNoSubscriptionBehind() throws Exception {
    Lease held = locks.with("a:cancel").acquire();
    CompletableFuture<Lease> waiter =
        locks
            .with("a:cancel")
            .waitTimeout(Duration.ofSeconds(60))
            .acquireAsync()
            .toCompletableFuture();
    CompletionStage<Optional<String>> skipper =
        locks
            .with("a:cancel")
            .waitTimeout(Duration.ofSeconds(60))
            .tryCallAsync(() -> CompletableFuture.completedFuture("x"));
    awaitSubscribers(1);
    assertTrue(waiter.cancel(true));
    assertTrue(skipper.toCompletableFuture().cancel(true));
    awaitNoLocalWaiters();
    held.close();
    assertEquals("0", redis.command("EXISTS", "{a:cancel}"), "nobody took the key after release");
    try (Lease next = locks.with("a:cancel").acquire()) {
      assertTrue(next.isValid(), "the key is free for the next caller");
    }
  }

  @Test
  void closingTheManagerFailsItsPendingAsyncWaitsInsteadOfLeavingThemHanging() throws Exception {
    try (LockManager other = LockManager.redisson(client);
        Lease held = other.with("a:closing").acquire()) {
      LockManager closing = LockManager.redisson(client);
      CompletableFuture<Lease> waiter =
          closing
              .with("a:closing")
              .waitTimeout(Duration.ofMinutes(5))
              .acquireAsync()
              .toCompletableFuture();
      Await.until(
          "the waiter queued",
          Duration.ofSeconds(10),
          () -> ((LockEngine) closing).queuedFor("a:closing") == 1);
      closing.close();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
      assertInstanceOf(IllegalStateException.class, e.getCause());
      assertEquals(
          "LockManager was closed while waiting for key 'a:closing': nothing was" + " acquired",
          e.getCause().getMessage());
      assertTrue(held.isValid(), "the holder elsewhere is untouched");
    }
  }

  @Test
  void callAsyncKeepsTheCooldownAndTheLeaseRenewsWhileTheWorkRuns() throws Exception {
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletionStage<String> result =
        locks
            .with("a:renew")
            .ttl(Duration.ofMillis(300))
            .cooldown(Duration.ofSeconds(30))
            .callAsync(() -> work);
    long started = System.nanoTime();
    Await.until(
        "the work outlived three ttls",
        Duration.ofSeconds(10),
        () -> System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(1000));
    assertEquals("1", redis.command("EXISTS", "{a:renew}"), "renewed while the work runs");
    work.complete("done");
    assertEquals("done", get(result));
    long pttl = Long.parseLong(redis.command("PTTL", "{a:renew}"));
    assertTrue(pttl > 20_000, "the cooldown holds the key after the work: pttl " + pttl);
    ExecutionException again =
        assertThrows(
            ExecutionException.class,
            () ->
                get(
                    locks
                        .with("a:renew")
                        .callAsync(() -> CompletableFuture.completedFuture("no"))));
    assertInstanceOf(ConcurrencyException.class, again.getCause());
  }

  @Test
  void badInputsAreTypedErrorsAndLeaveNoKey() {
    NullPointerException noBody =
        assertThrows(
            NullPointerException.class,
            () ->
                locks
                    .with("a:bad")
                    .callAsync((CheckedCallable<CompletionStage<String>, Exception>) null));
    assertEquals("body must not be null", noBody.getMessage());
    assertThrows(
        NullPointerException.class,
        () ->
            locks
                .with("a:bad")
                .tryCallAsync((CheckedCallable<CompletionStage<String>, Exception>) null));
    ExecutionException nullStage =
        assertThrows(
            ExecutionException.class, () -> get(locks.with("a:bad").tryCallAsync(() -> null)));
    assertEquals(
        "body must return a CompletionStage, but returned null (tryCallAsync on key"
            + " 'a:bad'; the lock was released)",
        nullStage.getCause().getMessage());
    ExecutionException nullValue =
        assertThrows(
            ExecutionException.class,
            () ->
                get(
                    locks
                        .with("a:bad")
                        .tryCallAsync(() -> CompletableFuture.completedFuture(null))));
    assertInstanceOf(NullPointerException.class, nullValue.getCause());
    assertTrue(nullValue.getCause().getMessage().startsWith("tryCallAsync's body returned null"));
    assertEquals(0, redis.keyCount(), "no key left behind");
  }

  @Test
  void anUnansweringStoreFailsClosedWithinTheBoundOrOpensWithFailOpen() throws Exception {
    try (RedisServer own = RedisServer.start()) {
      RedissonClient ownClient = SkipWhenBusyTest.client(own.uri());
      LockManager paused =
          LockManager.builder().unavailableTimeout(Duration.ofMillis(500)).redisson(ownClient);
      try {
        own.pause();
        long started = System.nanoTime();
        ExecutionException e =
            assertThrows(
                ExecutionException.class, () -> get(paused.with("a:paused").acquireAsync()));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertInstanceOf(LockUnavailableException.class, e.getCause());
        assertTrue(
            e.getCause().getMessage().contains("no answer within PT0.5S"),
            e.getCause().getMessage());
        assertTrue(millis >= 450 && millis < 5000, "failed closed after " + millis + " ms");
        AtomicBoolean ranOpen = new AtomicBoolean();
        get(
            paused
                .with("a:paused")
                .failOpen()
                .callAsync(
                    () -> {
                      ranOpen.set(true);
                      return CompletableFuture.completedFuture(null);
                    }));
        assertTrue(ranOpen.get(), "failOpen runs without the lock");
      } finally {
        own.resume();
        paused.close();
        ownClient.shutdown();
      }
    }
  }

  /**
   * The manager's one channel subscription is kept by design (one per manager, whatever the number
   * of waiters); what a waiter leaves behind would be its place in the local queue and its per-key
   * release listener.
   */
  @Test
  void whileRedisIsKnownDownAsyncCallsFailFastAndTheFirstCallAfterItIsBackSucceeds()
      throws Exception {
    try (RedisServer own = RedisServer.start()) {
      RedissonClient ownClient = SkipWhenBusyTest.client(own.uri());
      LockManager down =
          LockManager.builder().unavailableTimeout(Duration.ofSeconds(2)).redisson(ownClient);
      try {
        get(down.with("a:down").acquireAsync()).close();
        own.stop();
        ExecutionException first =
            assertThrows(ExecutionException.class, () -> get(down.with("a:down").acquireAsync()));
        assertInstanceOf(LockUnavailableException.class, first.getCause());
        long started = System.nanoTime();
        ExecutionException fast =
            assertThrows(
                ExecutionException.class, () -> get(down.with("a:down").tryAcquireAsync()));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(
            fast.getCause().getMessage().contains("failing fast until a probe reaches it"),
            fast.getCause().getMessage());
        assertTrue(millis < 1000, "known down: failed after " + millis + " ms (bound 2000 ms)");
        own.restart();
        Await.until(
            "a probe reaches Redis again",
            Duration.ofSeconds(15),
            () -> !((LockEngine) down).storeKnownDown());
        try (Lease back = get(down.with("a:down").acquireAsync())) {
          assertTrue(back.isValid());
        }
      } finally {
        down.close();
        ownClient.shutdown();
      }
    }
  }

  private void awaitNoLocalWaiters() {
    LockEngine engine = (LockEngine) locks;
    Await.until(
        "no local waiter and no release listener left",
        Duration.ofSeconds(10),
        () -> engine.keysWaitedFor() == 0 && backend.keysListenedFor() == 0);
  }

  private void awaitSubscribers(long expected) {
    Await.until(
        expected + " subscriber(s) of the release channel",
        Duration.ofSeconds(10),
        () ->
            redis.server().subscribers(dev.concurrencysafe.RedisLayout.RELEASE_CHANNEL)
                == expected);
  }

  static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static <T> T getUnchecked(CompletionStage<T> stage) {
    try {
      return get(stage);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
