package dev.concurrencysafe.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.spi.StoreRefusedException;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Scenario 10: a store that answers and refuses (NOREPLICAS, NOPERM, READONLY). Each refusal must
 * fail closed at once (one round trip, not the 3 s unavailable bound: Redisson would resend such a
 * command for seconds), name the refusal, never run the body, never be reported as a duplicate
 * ({@code ConcurrencyException}) and leave no key behind. Redis 6.2 refuses inside the script (at
 * its first write, as {@code ERR Error running script ... NOREPLICAS}), Redis 7 and Valkey 8 before
 * running it: both must read the same to the caller.
 */
class StoreRefusalTest {

  private static final int ATTEMPTS = 20;

  /** The goal is 50 ms on loopback; the assertion leaves room for a loaded 2-core box. */
  private static final long BOUND_MILLIS = 1000;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void tooFewReplicasForMinReplicasToWrite() throws Exception {
    try (RedisServer master = RedisServer.start("--min-replicas-to-write", "1")) {
      refusedEveryTime(
          "NOREPLICAS", Clients.single(master.port()), "rel:refusal:noreplicas", master);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anAclThatDeniesTheKey() throws Exception {
    List<String> args = new ArrayList<>(List.of("--user", "locker"));
    args.addAll(Arrays.asList(SecurityTest.MINIMAL_ACL.split(" ")));
    try (RedisServer redis = RedisServer.start(args.toArray(String[]::new))) {
      Config config = new Config();
      config
          .useSingleServer()
          .setAddress(redis.uri())
          .setUsername("locker")
          .setPassword(SecurityTest.LOCKER_PASSWORD);
      // the user may use {app:*} keys only; this manager has no prefix
      refusedEveryTime("NOPERM", Redisson.create(config), "rel:refusal:noperm", redis);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aReadOnlyReplica() throws Exception {
    try (RedisServer master = RedisServer.start();
        RedisServer replica =
            RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(master.port()))) {
      Await.until(
          "the replica is in sync",
          Duration.ofSeconds(10),
          () -> "up".equals(replica.info("replication", "master_link_status")));
      // e.g. a stale address after a failover
      refusedEveryTime("READONLY", Clients.single(replica.port()), "rel:refusal:readonly", master);
    }
  }

  /** Runs the attempts through {@code client}, then shuts it down. */
  private static void refusedEveryTime(
      String refusal, RedissonClient client, String key, RedisServer whereLocksLive) {
    AtomicInteger bodies = new AtomicInteger();
    long[] millis = new long[ATTEMPTS];
    String message = "";
    try (LockManager locks = LockManager.redisson(client)) {
      for (int i = 0; i < ATTEMPTS; i++) {
        long start = System.nanoTime();
        LockUnavailableException refused =
            assertThrows(
                LockUnavailableException.class,
                () -> locks.with(key).run(bodies::incrementAndGet),
                "a refusal is not a duplicate: no ConcurrencyException");
        millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        message = refused.getMessage();
        assertTrue(message.contains(refusal), message);
        assertTrue(
            message.startsWith("lock store refused the call for key '" + key + "': "), message);
        StoreRefusedException cause =
            assertInstanceOf(StoreRefusedException.class, refused.getCause());
        assertTrue(cause.reply().contains(refusal), cause.reply());
        assertTrue(
            !message.contains("channel:") && !message.contains("params"),
            "the message is the server's reply, not Redisson's connection dump: " + message);
      }
    } finally {
      client.shutdown();
    }
    Arrays.sort(millis);
    assertEquals(0, bodies.get(), "no body ran");
    assertEquals("0", whereLocksLive.command("DBSIZE"), "no key left behind");
    Figures.record(
        "store refusal " + refusal,
        ATTEMPTS
            + " acquisitions failed closed, p50 "
            + millis[ATTEMPTS / 2]
            + " ms, max "
            + millis[ATTEMPTS - 1]
            + " ms, 0 bodies, 0 keys; message: "
            + message);
    assertTrue(
        millis[ATTEMPTS - 1] < BOUND_MILLIS,
        "a refusal failed closed only after "
            + millis[ATTEMPTS - 1]
            + " ms: it waited instead of reporting the refusal");
  }

  /** The health probe reports the refusal too, at once. */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void theHealthProbeNamesTheRefusal() throws Exception {
    try (RedisServer master = RedisServer.start("--min-replicas-to-write", "1")) {
      RedissonClient client = Clients.single(master.port());
      try (LockManager locks = LockManager.redisson(client)) {
        long start = System.nanoTime();
        Exception down =
            assertThrows(
                Exception.class,
                () ->
                    ((dev.concurrencysafe.spi.HealthProbe) locks)
                        .ping()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(String.valueOf(down.getMessage()).contains("NOREPLICAS"), down.toString());
        assertTrue(took < BOUND_MILLIS, "probe answered after " + took + " ms");
      } finally {
        client.shutdown();
      }
    }
  }
}
