package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.concurrencysafe.CheckedCallable;
import dev.concurrencysafe.CheckedRunnable;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.testing.LogCapture;
import dev.concurrencysafe.testing.RedisExtension;
import dev.concurrencysafe.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * tryRun / tryCall / tryAcquire against a real redis-server: skip when held elsewhere, nothing
 * else.
 */
class SkipWhenBusyTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();

  private RedissonClient client;
  private LockManager locks;
  private final List<LockEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connect() {
    client = client(redis.uri());
    locks =
        LockManager.builder()
            .repeatedLogInterval(Duration.ZERO)
            .listener(events::add)
            .redisson(client);
  }

  @AfterEach
  void disconnect() {
    locks.close();
    client.shutdown();
  }

  static RedissonClient client(String uri) {
    Config config = new Config();
    config.useSingleServer().setAddress(uri).setConnectTimeout(1000).setTimeout(1000);
    return Redisson.create(config);
  }

  @Test
  void tryRunSkipsAHeldKeyAtDebugWithASkippedEventAndRunsAFreeOne() {
    java.util.logging.Logger library = java.util.logging.Logger.getLogger("dev.concurrencysafe");
    Level before = library.getLevel();
    library.setLevel(Level.ALL); // DEBUG lines are written only where DEBUG is enabled
    try (LogCapture log = LogCapture.library()) {
      try (Lease held = locks.with("job:nightly").acquire()) {
        assertFalse(locks.with("job:nightly").tryRun(() -> fail("a busy key must not run")));
        assertTrue(held.isValid());
      }
      AtomicBoolean ran = new AtomicBoolean();
      assertTrue(locks.with("job:nightly").tryRun(() -> ran.set(true)));
      assertTrue(ran.get());
      assertEquals("0", redis.command("EXISTS", "{job:nightly}"), "released after the run");
      assertEquals(
          List.of("[concurrency-safe] skipped: key=job:nightly is held elsewhere"),
          log.messages(Level.FINE));
      assertEquals(List.of(), log.messages(Level.WARNING), "a skip is not a warning");
    } finally {
      library.setLevel(before);
    }
    assertEquals(1, count(LockEvent.Type.SKIPPED));
    assertEquals(0, count(LockEvent.Type.BLOCKED), "a skip is not reported as a refusal");
  }

  @Test
  void tryCallReturnsTheResultOrEmptyAndSkipLogLevelChoosesTheLevel() {
    try (LogCapture log = LogCapture.library();
        Lease held = locks.with("job:report").acquire()) {
      Optional<String> skipped =
          locks
              .with("job:report")
              .skipLogLevel(System.Logger.Level.INFO)
              .tryCall(() -> "must not run");
      assertEquals(Optional.empty(), skipped);
      assertEquals(
          List.of("[concurrency-safe] skipped: key=job:report is held elsewhere"),
          log.messages(Level.INFO));
      held.close();
      assertEquals(Optional.of(42), locks.with("job:report").tryCall(() -> 42));
    }
  }

  @Test
  void aSkippingVerbWaitsUpToItsWaitTimeoutThenRuns() throws Exception {
    Lease held = locks.with("job:wait").acquire();
    CompletableFuture<Boolean> waiter =
        CompletableFuture.supplyAsync(
            () -> locks.with("job:wait").waitTimeout(Duration.ofSeconds(20)).tryRun(() -> {}));
    dev.concurrencysafe.testing.Await.until(
        "the waiter subscribed",
        Duration.ofSeconds(10),
        () -> redis.server().subscribers(dev.concurrencysafe.RedisLayout.RELEASE_CHANNEL) == 1);
    assertFalse(waiter.isDone());
    held.close();
    assertTrue(waiter.get(20, TimeUnit.SECONDS), "ran once the holder released");
  }

  @Test
  void tryAcquireIsEmptyWhileHeldAndALeaseWhenFree() {
    Optional<Lease> first = locks.with("job:lease").tryAcquire();
    assertTrue(first.isPresent());
    assertEquals(Optional.empty(), locks.with("job:lease").tryAcquire());
    first.get().close();
    try (Lease again = locks.with("job:lease").tryAcquire().orElseThrow()) {
      assertTrue(again.fencingToken() > first.get().fencingToken());
    }
  }

  @Test
  void badInputsAreTypedErrorsNamingTheValueAndLeaveNoKey() {
    NullPointerException noBody =
        assertThrows(
            NullPointerException.class,
            () -> locks.with("job:bad").tryRun((CheckedRunnable<RuntimeException>) null));
    assertEquals("body must not be null", noBody.getMessage());
    assertThrows(
        NullPointerException.class,
        () -> locks.with("job:bad").tryCall((CheckedCallable<String, RuntimeException>) null));
    assertThrows(NullPointerException.class, () -> locks.with("job:bad").skipLogLevel(null));
    NullPointerException nullResult =
        assertThrows(NullPointerException.class, () -> locks.with("job:bad").tryCall(() -> null));
    assertTrue(
        nullResult
            .getMessage()
            .startsWith(
                "tryCall's body returned null for key 'job:bad'"
                    + " (it ran and the lock was released), but an empty Optional means \"did not run\""),
        nullResult.getMessage());
    assertEquals(0, redis.keyCount(), "no key left behind");
    assertTrue(locks.with("job:bad").tryRun(() -> {}), "not blocked by a leaked lock");
  }

  @Test
  void anUnreachableStoreFailsASkippingVerbClosedOrOpensWithFailOpen() {
    try (RedisServer own = RedisServer.start()) {
      RedissonClient ownClient = client(own.uri());
      LockManager down =
          LockManager.builder().unavailableTimeout(Duration.ofMillis(500)).redisson(ownClient);
      try {
        own.stop();
        LockUnavailableException e =
            assertThrows(
                LockUnavailableException.class,
                () -> down.with("job:down").tryRun(() -> fail("must not run without the lock")));
        assertEquals("job:down", e.key());
        AtomicBoolean ranOpen = new AtomicBoolean();
        assertTrue(
            down.with("job:down").failOpen().tryRun(() -> ranOpen.set(true)),
            "failOpen runs without the lock: that is not a skip");
        assertTrue(ranOpen.get());
      } finally {
        down.close();
        ownClient.shutdown();
      }
    }
  }

  private long count(LockEvent.Type type) {
    return events.stream().filter(e -> e.type() == type).count();
  }
}
