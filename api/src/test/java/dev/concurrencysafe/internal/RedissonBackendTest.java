package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.integration.Redaction;
import dev.concurrencysafe.spi.LockBackend;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

class RedissonBackendTest extends BackendFixture {

  static RedisServer redis;
  static RedissonClient client;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
    client = client(redis);
  }

  @AfterAll
  static void stopRedis() {
    client.shutdown();
    redis.close();
  }

  static RedissonClient client(RedisServer server) {
    Config config = new Config();
    config
        .useSingleServer()
        .setAddress(server.uri())
        .setTimeout(1000)
        .setRetryAttempts(1)
        .setRetryInterval(200)
        .setConnectTimeout(1000);
    return Redisson.create(config);
  }

  @BeforeEach
  void flush() {
    redis.command("FLUSHALL");
  }

  @Override
  protected LockBackend newBackend() {
    return new RedissonBackend(
        client, dev.concurrencysafe.LockManagerBuilder.DEFAULT_FENCING_RETENTION);
  }

  @Override
  protected long storedEntries() {
    return redis.keyCount();
  }

  private static long calls(String command) {
    return redis.commandCalls(command);
  }

  @Test
  void anUncontendedCycleIsTwoRoundTripsAndARefusalIsOneWithoutSubscribing() {
    LockManager locks = newEngine();
    locks.with("warm").run(() -> {});
    long evalsha = calls("evalsha");
    long eval = calls("eval");
    locks.with("cycle").run(() -> {});
    assertEquals(2, calls("evalsha") - evalsha, "acquire + release");
    try (Lease held = locks.with("held").acquire()) {
      long before = calls("evalsha");
      long subscribes = calls("subscribe");
      assertThrows(ConcurrencyException.class, () -> newEngine().with("held").run(() -> fail()));
      assertEquals(1, calls("evalsha") - before, "a refusal is one round trip");
      assertEquals(subscribes, calls("subscribe"), "fail fast never subscribes");
    }
    assertEquals(eval, calls("eval"), "scripts were cached");
  }

  @Test
  void everythingWrittenCarriesAnExpiryAndTheKeysShareOneSlotAndAReleaseLeavesNothing() {
    LockManager locks = newEngine();
    try (Lease lease = locks.with("lock:purchase:1:2").ttl(Duration.ofSeconds(5)).acquire()) {
      // the counter first: read later, the lock's pttl can only be smaller, never tick past it
      long fenceTtl = Long.parseLong(redis.command("PTTL", "{lock:purchase:1:2}:fence"));
      long lockTtl = Long.parseLong(redis.command("PTTL", "{lock:purchase:1:2}"));
      assertTrue(lockTtl > 0 && lockTtl <= 5000, "lock pttl " + lockTtl);
      assertTrue(fenceTtl >= lockTtl && fenceTtl <= 5002, "fence pttl " + fenceTtl);
      assertEquals(
          Long.toString(lease.fencingToken()), redis.command("GET", "{lock:purchase:1:2}:fence"));
    }
    assertEquals(
        0, redis.keyCount(), "a released lock leaves nothing: " + redis.command("KEYS", "*"));
    for (int i = 0; i < 500; i++) {
      locks.with("distinct:" + i).run(() -> {});
    }
    assertEquals(0, redis.keyCount(), "500 released keys leave nothing");
    locks.with("cooled").cooldown(Duration.ofMillis(300)).run(() -> {});
    long fenceTtl = Long.parseLong(redis.command("PTTL", "{cooled}:fence"));
    assertTrue(
        fenceTtl > 0 && fenceTtl <= 302, "the counter lives as long as the cooldown: " + fenceTtl);
  }

  @Test
  void aFencingRetentionKeepsTheCounterAfterTheLockAsBefore() {
    RedissonBackend retaining = new RedissonBackend(client, Duration.ofMinutes(10));
    try (LockEngine locks =
        new LockEngine(retaining, BackendFixture.settings(Duration.ofSeconds(3)))) {
      long first;
      try (Lease lease = locks.with("kept").ttl(Duration.ofSeconds(5)).acquire()) {
        first = lease.fencingToken();
      }
      assertEquals("0", redis.command("EXISTS", "{kept}"));
      long fenceTtl = Long.parseLong(redis.command("PTTL", "{kept}:fence"));
      assertTrue(fenceTtl > 5000 && fenceTtl <= 5000 + 600_000, "fence pttl " + fenceTtl);
      assertEquals(Long.toString(first), redis.command("GET", "{kept}:fence"));
      try (Lease lease = locks.with("kept").acquire()) {
        assertTrue(lease.fencingToken() > first);
      }
    } finally {
      retaining.close();
    }
  }

  @Test
  void aCounterAheadOfTheClockOutlivesTheReleaseUntilTheClockPassesIt() {
    LockManager locks = newEngine();
    long first;
    try (Lease lease = locks.with("ahead").acquire()) {
      first = lease.fencingToken();
    }
    // as after a step back of the server clock by 3 s: the counter is 3 s ahead of it
    long ahead = first + 3_000_000L;
    redis.command("SET", "{ahead}:fence", Long.toString(ahead), "PX", "60000");
    try (Lease lease = locks.with("ahead").acquire()) {
      assertEquals(ahead + 1, lease.fencingToken());
    }
    long fenceTtl = Long.parseLong(redis.command("PTTL", "{ahead}:fence"));
    assertTrue(fenceTtl > 1000 && fenceTtl <= 3002, "kept until the clock passed it: " + fenceTtl);
    try (Lease lease = locks.with("ahead").acquire()) {
      assertEquals(ahead + 2, lease.fencingToken(), "still increasing after the release");
    }
  }

  @Test
  void tokensStayStrictlyIncreasingWhenAHolderDiesAndItsLockExpires() {
    LockManager locks = newEngine();
    locks.with("warm").run(() -> {}); // the scripts are cached for the EVALSHA below
    long previous = 0;
    for (int i = 0; i < 30; i++) {
      // a holder that never releases: both keys just expire
      long token =
          Long.parseLong(
              redis.command(
                  "EVALSHA",
                  RedisScripts.ACQUIRE.sha1,
                  "2",
                  "{dies}",
                  "{dies}:fence",
                  "dead-owner-" + i,
                  "5",
                  "0"));
      assertTrue(token > previous, token + " after " + previous);
      Await.until(
          "the dead holder's lock expired",
          Duration.ofSeconds(5),
          () -> redis.command("EXISTS", "{dies}").equals("0"));
      try (Lease lease = locks.with("dies").acquire()) {
        assertTrue(lease.fencingToken() > token, lease.fencingToken() + " after " + token);
        previous = lease.fencingToken();
      }
    }
  }

  @Test
  void redisDownFailsClosedWithinTheBoundThenRecoversWithoutRestarting() {
    try (RedisServer own = RedisServer.start()) {
      RedissonClient ownClient = client(own);
      try (LockManager locks =
          LockManager.builder().unavailableTimeout(Duration.ofSeconds(1)).redisson(ownClient)) {
        locks.with("up").run(() -> {});
        own.stop();
        AtomicBoolean ran = new AtomicBoolean();
        long start = System.nanoTime();
        LockUnavailableException down =
            assertThrows(
                LockUnavailableException.class, () -> locks.with("down").run(() -> ran.set(true)));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertFalse(ran.get(), "the body never runs unprotected");
        assertTrue(tookMillis < 2000, "failed closed after " + tookMillis + " ms");
        assertEquals("down", down.key());
        assertTrue(
            down.getMessage().startsWith("lock store unavailable for key 'down': "),
            down.getMessage());

        AtomicBoolean ranOpen = new AtomicBoolean();
        locks.with("down").failOpen().run(() -> ranOpen.set(true));
        assertTrue(ranOpen.get(), "failOpen runs the body without the lock");
        try (Lease unprotected = locks.with("down").failOpen().acquire()) {
          assertEquals(0, unprotected.fencingToken());
          assertFalse(unprotected.isValid());
        }

        own.restart();
        long recovering = System.nanoTime();
        Await.until(
            "a call succeeds after Redis came back",
            Duration.ofSeconds(10),
            () -> {
              try {
                locks.with("back").run(() -> {});
                return true;
              } catch (LockUnavailableException stillDown) {
                return false;
              }
            });
        long recoveredMillis = (System.nanoTime() - recovering) / 1_000_000;
        assertTrue(recoveredMillis < 5000, "recovered after " + recoveredMillis + " ms");
      } finally {
        ownClient.shutdown();
      }
    }
  }

  /** Redisson's defaults: a refused connection is retried for seconds, what fail-fast is for. */
  static RedissonClient defaultClient(RedisServer server, String... userAndPassword) {
    Config config = new Config();
    var single = config.useSingleServer().setAddress(server.uri());
    if (userAndPassword.length == 2) {
      single.setUsername(userAndPassword[0]).setPassword(userAndPassword[1]);
    }
    return Redisson.create(config);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Test
  void whileRedisIsKnownDownCallsFailAtOnceOneProbeAtATimeAndACallSucceedsOnceItIsBack()
      throws Exception {
    try (RedisServer own = RedisServer.start()) {
      RedissonClient ownClient = defaultClient(own);
      ControllableBackend backend =
          new ControllableBackend(new RedissonBackend(ownClient, Duration.ofMinutes(10)));
      Duration bound = Duration.ofSeconds(2);
      LockEngine locks = new LockEngine(backend, BackendFixture.settings(bound));
      java.util.concurrent.ExecutorService callers =
          java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        locks.with("up").run(() -> {});
        own.stop();
        long start = System.nanoTime();
        assertThrows(LockUnavailableException.class, () -> locks.with("down").run(() -> fail()));
        long firstMillis = millisSince(start);
        assertTrue(locks.storeKnownDown(), "the first call found Redis unreachable");
        // Redisson retries a refused connection for seconds; the probe finds out in ~100 ms
        assertTrue(
            firstMillis < 1000, "the first call took " + firstMillis + " ms of a 2000 ms bound");

        java.util.concurrent.atomic.AtomicInteger bodies =
            new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<java.util.concurrent.Future<Long>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
          String key = "down:" + (i % 10);
          calls.add(
              callers.submit(
                  () -> {
                    long began = System.nanoTime();
                    LockUnavailableException e =
                        assertThrows(
                            LockUnavailableException.class,
                            () -> locks.with(key).run(bodies::incrementAndGet));
                    assertEquals(key, e.key());
                    assertTrue(
                        e.getMessage().contains("failing fast until a probe reaches it"),
                        e.getMessage());
                    return millisSince(began);
                  }));
        }
        long slowest = 0;
        for (var call : calls) {
          slowest = Math.max(slowest, call.get(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        long openStart = System.nanoTime();
        AtomicBoolean ranOpen = new AtomicBoolean();
        locks.with("down").failOpen().run(() -> ranOpen.set(true));
        long openMillis = millisSince(openStart);
        try (dev.concurrencysafe.testing.LogCapture log =
            dev.concurrencysafe.testing.LogCapture.library()) {
          for (int i = 0; i < 20; i++) {
            locks.with("down:open:" + i).failOpen().run(() -> {});
          }
          // the first run of this interval was logged above: these 20 are counted, not written
          assertEquals(
              0,
              log.messages(java.util.logging.Level.WARNING).stream()
                  .filter(line -> line.contains("running WITHOUT the lock"))
                  .count(),
              log.allMessages().toString());
        }

        assertEquals(0, bodies.get(), "no body ran while Redis was down");
        assertTrue(ranOpen.get(), "a failOpen spec still runs without the lock");
        // the bound is 2000 ms; failing fast takes ~1 ms (slack for a loaded 2-core machine)
        assertTrue(slowest < 400, "slowest of 200 calls while known down: " + slowest + " ms");
        assertTrue(openMillis < 400, "failOpen while known down took " + openMillis + " ms");
        assertTrue(backend.probes.get() >= 1, "nothing probed for recovery");
        assertEquals(1, backend.maxProbesInFlight.get(), "probes overlapped");

        own.restart();
        long restarted = System.nanoTime();
        Await.until(
            "a probe reaches Redis again", Duration.ofSeconds(10), () -> !locks.storeKnownDown());
        long recoveryMillis = millisSince(restarted);
        AtomicBoolean ran = new AtomicBoolean();
        locks.with("back").run(() -> ran.set(true));
        assertTrue(ran.get(), "the first call after the probe saw Redis succeeds");
        assertTrue(recoveryMillis < 3000, "recovery took " + recoveryMillis + " ms");
        System.out.printf(
            "fail-fast: first call %d ms, slowest of 200 known-down calls %d ms,"
                + " failOpen %d ms, %d probes, recovery %d ms after restart%n",
            firstMillis, slowest, openMillis, backend.probes.get(), recoveryMillis);
      } finally {
        callers.shutdownNow();
        locks.close();
        ownClient.shutdown();
      }
    }
  }

  @Test
  void aRefusalByTheStoreIsNotAnOutageTheNextCallAsksItAgain() {
    try (RedisServer own = RedisServer.start()) {
      own.command(
          "ACL", "SETUSER", "app", "on", ">app-secret", "~*", "&*", "+@all", "-evalsha", "-eval");
      RedissonClient appClient = defaultClient(own, "app", "app-secret");
      try (LockManager locks =
          LockManager.builder().unavailableTimeout(Duration.ofSeconds(2)).redisson(appClient)) {
        LockUnavailableException refused =
            assertThrows(
                LockUnavailableException.class,
                () -> locks.with("acl").run(() -> fail("must not run")));
        assertTrue(refused.getMessage().contains("NOPERM"), refused.getMessage());
        assertFalse(((LockEngine) locks).storeKnownDown(), "a refusal is an answer, not an outage");
        own.command("ACL", "SETUSER", "app", "+evalsha", "+eval");
        AtomicBoolean ran = new AtomicBoolean();
        locks.with("acl").run(() -> ran.set(true));
        assertTrue(ran.get(), "the next call asked the store (no fail-fast after a refusal)");
      } finally {
        appClient.shutdown();
      }
    }
  }

  @Test
  void aStalledRedisFailsClosedWithinTheBoundAndLeavesNoOrphanLockAfterItResumes()
      throws Exception {
    try (RedisServer own = RedisServer.start()) {
      RedissonClient ownClient = client(own);
      try (LockManager locks =
          LockManager.builder().unavailableTimeout(Duration.ofMillis(800)).redisson(ownClient)) {
        locks.with("warm").run(() -> {});
        own.pause();
        long start = System.nanoTime();
        AtomicBoolean ran = new AtomicBoolean();
        try {
          assertThrows(
              LockUnavailableException.class, () -> locks.with("stall").run(() -> ran.set(true)));
        } finally {
          own.resume();
        }
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertFalse(ran.get());
        assertTrue(tookMillis < 1800, "failed closed after " + tookMillis + " ms");
        // Redisson may still deliver (or resend) the ACQUIRE after the pause: the engine gives it
        // back.
        Await.until(
            "no orphan lock is left",
            Duration.ofSeconds(10),
            () -> own.command("EXISTS", "{stall}").equals("0"));
        locks.with("stall").run(() -> {});
      } finally {
        ownClient.shutdown();
      }
    }
  }

  @Test
  void tokensFollowTheCounterWhenItIsAheadOfTheClockAndTheClockWhenItExpired() {
    LockManager locks = newEngine();
    long first;
    try (Lease lease = locks.with("f").acquire()) {
      first = lease.fencingToken();
    }
    long ahead = first + 1_000_000_000_000L;
    redis.command("SET", "{f}:fence", Long.toString(ahead), "PX", "60000");
    try (Lease lease = locks.with("f").acquire()) {
      assertEquals(ahead + 1, lease.fencingToken(), "last + 1 while the counter lives");
    }
    redis.command("SET", "{f}:fence", Long.toString(first), "PX", "60000");
    redis.command("DEL", "{f}:fence");
    try (Lease lease = locks.with("f").acquire()) {
      assertTrue(lease.fencingToken() > first, "server time after the counter expired");
    }
  }

  @Test
  void manyWaitersShareOneSubscription() throws Exception {
    int waiters = 300;
    LockManager holder = newEngine();
    LockManager waiting = newEngine();
    java.util.List<Lease> held = new java.util.ArrayList<>();
    for (int i = 0; i < waiters; i++) {
      held.add(holder.with("many:" + i).ttl(Duration.ofSeconds(30)).acquire());
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(waiters);
    try {
      java.util.List<java.util.concurrent.Future<Long>> acquired = new java.util.ArrayList<>();
      for (int i = 0; i < waiters; i++) {
        String key = "many:" + i;
        acquired.add(
            pool.submit(
                () -> waiting.with(key).waitTimeout(Duration.ofSeconds(20)).call(() -> 1L)));
      }
      Await.until(
          "every waiter subscribed",
          Duration.ofSeconds(10),
          () -> store.acquireAttempts.get() >= 2 * waiters + waiters);
      assertEquals(1, redis.subscribers(dev.concurrencysafe.RedisLayout.RELEASE_CHANNEL));
      held.forEach(Lease::close);
      long total = 0;
      for (var f : acquired) {
        total += f.get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
      assertEquals(waiters, total);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theKeyPrefixGoesInsideTheHashTagAndTheHealthProbeAnswers() throws Exception {
    try (LockManager locks = LockManager.builder().keyPrefix("shop:").redisson(client)) {
      try (Lease lease = locks.with("order:1").acquire()) {
        assertEquals("order:1", lease.key());
        assertEquals("1", redis.command("EXISTS", "{shop:order:1}"));
      }
      ((dev.concurrencysafe.spi.HealthProbe) locks)
          .ping()
          .toCompletableFuture()
          .get(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void theHealthProbeFailsWithinTheBoundWhenRedisIsDown() {
    try (RedisServer own = RedisServer.start()) {
      RedissonClient ownClient = client(own);
      try (LockManager locks =
          LockManager.builder().unavailableTimeout(Duration.ofMillis(500)).redisson(ownClient)) {
        own.pause();
        try {
          long start = System.nanoTime();
          assertThrows(
              java.util.concurrent.ExecutionException.class,
              () ->
                  ((dev.concurrencysafe.spi.HealthProbe) locks).ping().toCompletableFuture().get());
          assertTrue(System.nanoTime() - start < 1_500_000_000L);
        } finally {
          own.resume();
        }
      } finally {
        ownClient.shutdown();
      }
    }
  }

  @Test
  void storeErrorsAreDescribedWithoutCredentials() {
    assertEquals(
        "see redis://***@host:6379 and rediss://***@other",
        Redaction.redact("see redis://user:p@ss@host:6379 and rediss://:secret@other"));
    assertEquals(
        "RuntimeException: connect to redis://***@h failed",
        Redaction.describe(new RuntimeException("connect to redis://u:pa/ss@h failed")));
  }

  @Test
  void waitForReplicasCountsOnlyAcknowledgedAcquisitionsAndGivesBackTheOthers() {
    try (RedisServer master = RedisServer.start();
        RedisServer replica =
            RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(master.port()))) {
      Await.until(
          "the replica is in sync",
          Duration.ofSeconds(10),
          () -> replica.command("INFO", "replication").contains("master_link_status:up"));
      RedissonClient masterClient = client(master);
      try (LockManager locks =
          LockManager.builder()
              .waitForReplicas(1, Duration.ofMillis(500))
              .unavailableTimeout(Duration.ofSeconds(2))
              .redisson(masterClient)) {
        try (Lease lease = locks.with("acked").acquire()) {
          assertTrue(lease.fencingToken() > 0);
          assertEquals("1", replica.command("EXISTS", "{acked}"), "the replica has the lock");
        }
        replica.pause();
        try {
          LockUnavailableException unacknowledged =
              assertThrows(
                  LockUnavailableException.class,
                  () -> locks.with("unacked").run(() -> fail("entered without a replica's ack")));
          assertTrue(
              unacknowledged.getMessage().contains("acknowledged by 0 of the 1"),
              unacknowledged.getMessage());
          Await.until(
              "the unacknowledged lock was given back",
              Duration.ofSeconds(5),
              () -> master.command("EXISTS", "{unacked}").equals("0"));
        } finally {
          replica.resume();
        }
      } finally {
        masterClient.shutdown();
      }
    }
    expect(
        IllegalArgumentException.class,
        "replicas must be >= 0, but was -1",
        () -> LockManager.builder().waitForReplicas(-1, Duration.ofSeconds(1)));
  }

  @Test
  void thePublicFactoryUsesTheClientAndLeavesItOpen() {
    LockManager locks = LockManager.redisson(client);
    assertEquals(7, locks.with("factory").call(() -> 7));
    locks.close();
    assertFalse(client.isShutdown(), "the manager does not own the client");
  }
}
