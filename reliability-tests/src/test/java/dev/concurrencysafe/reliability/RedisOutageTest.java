package dev.concurrencysafe.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.RedisLayout;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.LogCapture;
import dev.concurrencysafe.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.api.RedissonClient;

/**
 * Scenarios 4, 5 and 6: Redis restarted empty under a held lock, Redis down (refusing connections,
 * or frozen so it accepts but never answers), and a waiter whose release notification is lost.
 */
class RedisOutageTest {

  private static final Duration BOUND = Duration.ofSeconds(1);

  /** The one channel on which the Redis backend publishes releases. */
  private static final String RELEASE_CHANNEL = RedisLayout.RELEASE_CHANNEL;

  /** Scheduling slack on a loaded 2-core CI machine. */
  private static final long BOUND_SLACK_MS = 700;

  /** The ε of "within the holder's remaining ttl + ε" for a waiter on a loaded machine. */
  private static final long SLACK_MS = 500;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void restartWithoutPersistenceTellsTheOldHolderOnceAndLetsANewcomerIn() throws Exception {
    try (RedisServer redis = RedisServer.start();
        LogCapture log = LogCapture.library()) {
      RedissonClient oldApp = Clients.single(redis.port());
      RedissonClient newApp = Clients.single(redis.port());
      List<LockEvent> events = new CopyOnWriteArrayList<>();
      CountDownLatch lost = new CountDownLatch(1);
      try (LockManager oldLocks =
              LockManager.builder()
                  .listener(
                      event -> {
                        events.add(event);
                        if (event.type() == LockEvent.Type.LEASE_LOST) {
                          lost.countDown();
                        }
                      })
                  .redisson(oldApp);
          LockManager newLocks = LockManager.redisson(newApp)) {
        Duration ttl = Duration.ofMillis(3000);
        Lease old = oldLocks.with("rel:restart").ttl(ttl).acquire();
        long restartedAt = System.nanoTime();
        redis.restart();

        Lease newcomer = acquireWithin(newLocks, "rel:restart", ttl, Duration.ofSeconds(10));
        long newcomerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
        assertTrue(
            newcomer.fencingToken() > old.fencingToken(),
            "the server-time floor keeps tokens increasing although the counter was lost");

        assertTrue(lost.await(10, TimeUnit.SECONDS), "the old holder is told its lease was lost");
        long lostMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
        assertFalse(old.isValid());
        // Renewals stop: nothing more is logged or emitted for the old lease over several periods.
        int recordsAtLoss = log.allMessages().size();
        Thread.sleep(2500); // more than two renewal periods
        assertEquals(
            recordsAtLoss, log.allMessages().size(), "log after loss: " + log.allMessages());
        old.close();
        assertTrue(
            newcomer.isValid(), "closing the lost lease must not release the newcomer's lock");
        assertEquals("1", redis.command("EXISTS", "{rel:restart}"));
        newcomer.close();
        assertEquals("0", redis.command("EXISTS", "{rel:restart}"));

        long lostEvents =
            events.stream().filter(e -> e.type() == LockEvent.Type.LEASE_LOST).count();
        List<String> errors = log.messages(Level.SEVERE);
        assertEquals(1, lostEvents, "one LEASE_LOST event: " + events);
        assertEquals(1, errors.size(), "one ERROR line: " + errors);
        assertTrue(errors.get(0).contains("lease lost: key=rel:restart"), errors.get(0));
        int warnings = log.messages(Level.WARNING).size();
        assertTrue(warnings <= 5, "no exception storm: " + log.allMessages());
        Figures.record(
            "Redis restarted (no persistence) under a held lock",
            String.format(
                "ttl %d ms: newcomer in %d ms after the restart began; old holder told (1 LEASE_LOST"
                    + " event, 1 ERROR line) after %d ms; %d WARNING lines in all; no renewal afterwards",
                ttl.toMillis(), newcomerMillis, lostMillis, warnings));
      } finally {
        oldApp.shutdown();
        newApp.shutdown();
      }
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void redisDownFailsClosedWithinTheBoundAndRecoversWithoutRestart() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      RedissonClient client = Clients.single(redis.port());
      try (LockManager locks = LockManager.builder().unavailableTimeout(BOUND).redisson(client);
          LockManager defaults = LockManager.redisson(client)) {
        locks.with("rel:down").run(() -> {}); // connected and scripts loaded

        redis.stop();
        long refusedMax = failClosedEverywhere(locks, BOUND, 40, "stopped");
        long refusedRecovery = recover(locks, redis::restart);

        redis.pause();
        long frozenMax;
        long frozenDefaultMax;
        long frozenRecovery;
        try {
          frozenMax = failClosedEverywhere(locks, BOUND, 40, "frozen");
          frozenDefaultMax = failClosedEverywhere(defaults, Duration.ofSeconds(3), 8, "frozen");
        } finally {
          frozenRecovery = recover(locks, redis::resume);
        }
        Figures.record(
            "Redis down",
            String.format(
                "unavailableTimeout %d ms, 40 calls on 8 threads:"
                    + " process stopped (connection refused): max %d ms to LockUnavailableException,"
                    + " recovery %d ms after restart; process frozen by SIGSTOP (no answer): max %d ms,"
                    + " recovery %d ms after SIGCONT; with the default unavailableTimeout (3 s) while"
                    + " frozen, 8 calls: max %d ms; 0 bodies ran",
                BOUND.toMillis(),
                refusedMax,
                refusedRecovery,
                frozenMax,
                frozenRecovery,
                frozenDefaultMax));
      } finally {
        client.shutdown();
      }
    }
  }

  /**
   * {@code count} calls from 8 threads; each must throw LockUnavailableException within the bound.
   */
  private static long failClosedEverywhere(
      LockManager locks, Duration bound, int count, String state) throws Exception {
    int[] bodies = new int[1];
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> calls = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String key = "rel:down:" + (i % 10);
        calls.add(
            pool.submit(
                () -> {
                  long start = System.nanoTime();
                  LockUnavailableException e =
                      assertThrows(
                          LockUnavailableException.class,
                          () ->
                              locks
                                  .with(key)
                                  .waitTimeout(Duration.ofSeconds(2))
                                  .run(() -> bodies[0]++));
                  assertEquals(key, e.key());
                  return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }));
      }
      long max = 0;
      for (Future<Long> call : calls) {
        max = Math.max(max, call.get(30, TimeUnit.SECONDS));
      }
      assertEquals(0, bodies[0], "no body may run while Redis is " + state);
      assertTrue(
          max <= bound.toMillis() + BOUND_SLACK_MS,
          "slowest failure while " + state + ": " + max + " ms");
      return max;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Brings Redis back and returns how long until a call succeeds (at most 5 s). */
  private static long recover(LockManager locks, Runnable bringBack) throws InterruptedException {
    bringBack.run();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        boolean[] ran = new boolean[1];
        locks.with("rel:down:recovered").run(() -> ran[0] = true);
        assertTrue(ran[0]);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      } catch (LockUnavailableException stillDown) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no recovery within 5 s after Redis came back", stillDown);
        }
        Thread.sleep(50);
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void waiterWhoseReleaseNotificationIsLostStillAcquiresByTheHoldersExpiry() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      RedissonClient holderApp = Clients.single(redis.port());
      RedissonClient waiterApp = Clients.single(redis.port());
      ExecutorService waiting = Executors.newSingleThreadExecutor();
      try (LockManager holder = LockManager.redisson(holderApp);
          LockManager waiter = LockManager.redisson(waiterApp)) {
        // (a) The key vanishes without any PUBLISH (a foreign holder's key is deleted).
        waiter.with("rel:warm-up").run(() -> {}); // scripts cached: one EVALSHA per attempt
        long foreignTtl = 1500;
        long attemptsBefore = evalshaCalls(redis);
        assertEquals(
            "OK",
            redis.command("SET", "{rel:wake}", "foreign", "NX", "PX", Long.toString(foreignTtl)));
        long start = System.nanoTime();
        Future<Lease> first =
            waiting.submit(
                () -> waiter.with("rel:wake").waitTimeout(Duration.ofSeconds(10)).acquire());
        awaitSubscribers(redis, RELEASE_CHANNEL, 1);
        // Delete only after the waiter's attempt that follows its subscription was refused: from
        // then on only the re-check at the holder's remaining ttl can let it in.
        awaitEvalshaCalls(redis, attemptsBefore + 2);
        assertEquals("1", redis.command("DEL", "{rel:wake}"));
        long silentMillis;
        try (Lease lease = first.get(15, TimeUnit.SECONDS)) {
          silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          assertTrue(lease.isValid());
        }
        assertTrue(
            silentMillis >= foreignTtl - 300,
            "the waiter was not woken by the re-check: " + silentMillis + " ms");
        assertTrue(
            silentMillis <= foreignTtl + SLACK_MS,
            "acquired "
                + silentMillis
                + " ms after starting to wait; the holder's ttl was "
                + foreignTtl);

        // (b) The waiter's subscription connection is killed just before a real release.
        Duration ttl = Duration.ofMillis(1200);
        Lease held = holder.with("rel:wake2").ttl(ttl).acquire();
        long secondBefore = evalshaCalls(redis);
        Future<Lease> second =
            waiting.submit(
                () -> waiter.with("rel:wake2").waitTimeout(Duration.ofSeconds(10)).acquire());
        awaitSubscribers(redis, RELEASE_CHANNEL, 1);
        awaitEvalshaCalls(redis, secondBefore + 2); // refused, subscribed, refused again: waiting
        String killed = redis.command("CLIENT", "KILL", "TYPE", "pubsub");
        long subscribersAtRelease = redis.subscribers(RELEASE_CHANNEL);
        long releasedAt = System.nanoTime();
        held.close();
        long droppedMillis;
        try (Lease lease = second.get(15, TimeUnit.SECONDS)) {
          droppedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - releasedAt);
          assertTrue(lease.fencingToken() > held.fencingToken());
        }
        assertTrue(
            droppedMillis <= ttl.toMillis() + SLACK_MS,
            "acquired "
                + droppedMillis
                + " ms after the release; bound is the holder's ttl "
                + ttl.toMillis()
                + " ms + "
                + SLACK_MS);
        Figures.record(
            "lost wake-up",
            String.format(
                "(a) key deleted without PUBLISH, foreign ttl %d"
                    + " ms: waiter in %d ms after it began waiting; (b) %s pub/sub connection(s) killed"
                    + " before release (subscribers left at release: %s), holder ttl %d ms: waiter in %d"
                    + " ms after the release",
                foreignTtl,
                silentMillis,
                killed,
                subscribersAtRelease,
                ttl.toMillis(),
                droppedMillis));
      } finally {
        waiting.shutdownNow();
        holderApp.shutdown();
        waiterApp.shutdown();
      }
    }
  }

  private static long evalshaCalls(RedisServer redis) {
    return redis.commandCalls("evalsha");
  }

  private static void awaitEvalshaCalls(RedisServer redis, long calls) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (evalshaCalls(redis) < calls) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the waiter made fewer than " + calls + " attempts");
      }
      Thread.sleep(5);
    }
  }

  private static void awaitSubscribers(RedisServer redis, String channel, int count) {
    Await.until(
        count + " subscriber(s) on " + channel,
        Duration.ofSeconds(10),
        () -> redis.subscribers(channel) >= count);
  }

  private static Lease acquireWithin(LockManager locks, String key, Duration ttl, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        return locks.with(key).ttl(ttl).waitTimeout(Duration.ofSeconds(2)).acquire();
      } catch (LockUnavailableException reconnecting) {
        if (System.nanoTime() > deadline) {
          throw reconnecting;
        }
        Thread.sleep(20);
      }
    }
  }
}
