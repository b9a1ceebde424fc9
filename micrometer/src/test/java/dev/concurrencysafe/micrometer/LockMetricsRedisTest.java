package dev.concurrencysafe.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockManagerBuilder;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.testing.RedisServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;

class LockMetricsRedisTest extends LockMetricsContract {

  static RedisServer redis;
  static RedissonClient client;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
    Config config = new Config();
    config
        .useSingleServer()
        .setAddress(redis.uri())
        .setTimeout(1000)
        .setRetryAttempts(1)
        .setRetryDelay(new ConstantDelay(Duration.ofMillis(200)))
        .setConnectTimeout(1000);
    client = Redisson.create(config);
  }

  @AfterAll
  static void stopRedis() {
    try {
      if (client != null) {
        client.shutdown(0, 2, TimeUnit.SECONDS);
      }
    } finally {
      redis.close();
    }
  }

  @BeforeEach
  void flush() {
    redis.command("FLUSHALL");
  }

  @Override
  LockManager manager(LockListener... listeners) {
    return builder(listeners).redisson(client);
  }

  private static LockManagerBuilder builder(LockListener... listeners) {
    LockManagerBuilder builder = LockManager.builder().unavailableTimeout(Duration.ofSeconds(2));
    for (LockListener listener : listeners) {
      builder.listener(listener);
    }
    return builder;
  }

  @Override
  int distinctUsers() {
    // Same key-name logic as in memory (which runs 10,000); fewer round trips keep the suite fast.
    return 1_000;
  }

  @Test
  void aLeaseLostWhileTheBodyRunsIsCounted() throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
    // Listeners run in order: when this one sees LEASE_LOST, LockMetrics has recorded it.
    LockListener lostWatcher =
        event -> {
          if (event.type() == LockEvent.Type.LEASE_LOST) {
            lost.countDown();
          }
        };
    try (LockManager locks = manager(metrics, lostWatcher)) {
      try (Lease lease = locks.with(CacheKey.FLAKY, "u1").acquire()) {
        // The store loses the key under the running body: the next renewal (ttl/3 = 100 ms) fails.
        assertEquals("1", redis.command("DEL", "{" + lease.key() + "}"));
        assertTrue(lost.await(5, TimeUnit.SECONDS), "no LEASE_LOST within 5 s");
        assertFalse(lease.isValid());
        assertEquals(1, counter(LockMetrics.LEASE_LOST, "CacheKey.FLAKY").count());
      }
    }
    assertEquals(1, attempts("CacheKey.FLAKY", "acquired"));
    assertEquals(1, timer(LockMetrics.HELD, "CacheKey.FLAKY", null).count());
    assertEquals(1, counter(LockMetrics.LEASE_LOST, "CacheKey.FLAKY").count(), "exactly one");
  }

  @Test
  void aLeaseOutlivingItsTtlDuringAnOutageIsCountedAsLost() throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
    LockListener lostWatcher =
        event -> {
          if (event.type() == LockEvent.Type.LEASE_LOST) {
            lost.countDown();
          }
        };
    try (RedisServer doomed = RedisServer.start()) {
      RedissonClient doomedClient = fastFailingClient(doomed);
      try (LockManager locks =
          builder(metrics, lostWatcher)
              .unavailableTimeout(Duration.ofMillis(500))
              .redisson(doomedClient)) {
        Lease lease = locks.with(CacheKey.FLAKY, "u1").acquire();
        doomed.stop(); // renewals now fail; after the 300 ms ttl nobody can vouch for the lock
        assertTrue(lost.await(5, TimeUnit.SECONDS), "no LEASE_LOST within 5 s of the outage");
        assertFalse(lease.isValid());
        lease.close();
      } finally {
        doomedClient.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }
    assertEquals(1, counter(LockMetrics.LEASE_LOST, "CacheKey.FLAKY").count());
    assertEquals(1, timer(LockMetrics.HELD, "CacheKey.FLAKY", null).count());
  }

  private static RedissonClient fastFailingClient(RedisServer server) {
    Config config = new Config();
    config
        .useSingleServer()
        .setAddress(server.uri())
        .setTimeout(300)
        .setRetryAttempts(0)
        .setConnectTimeout(300);
    return Redisson.create(config);
  }

  @Test
  void anUnreachableStoreIsCountedAsUnavailable() {
    try (RedisServer doomed = RedisServer.start()) {
      RedissonClient doomedClient = fastFailingClient(doomed);
      try (LockManager locks =
          builder(metrics).unavailableTimeout(Duration.ofMillis(500)).redisson(doomedClient)) {
        locks.with(CacheKey.PURCHASE, "u1").run(() -> {});
        doomed.stop();
        assertThrows(
            LockUnavailableException.class,
            () -> locks.with(CacheKey.PURCHASE, "u1").run(() -> {}));
        boolean[] ranUnprotected = new boolean[1];
        locks.with(CacheKey.PURCHASE, "u1").failOpen().run(() -> ranUnprotected[0] = true);
        assertTrue(ranUnprotected[0]);
      } finally {
        doomedClient.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }
    assertEquals(1, attempts(PURCHASE, "acquired"));
    assertEquals(2, attempts(PURCHASE, "unavailable"), "fail closed once, fail open once");
    assertEquals(0, attempts(PURCHASE, "blocked"));
    assertEquals(
        1, timer(LockMetrics.HELD, PURCHASE, null).count(), "an unprotected run holds nothing");
    assertEquals(1, timer(LockMetrics.WAIT, PURCHASE, "acquired").count());
    assertEquals(0, timer(LockMetrics.WAIT, PURCHASE, "blocked").count());
  }
}
