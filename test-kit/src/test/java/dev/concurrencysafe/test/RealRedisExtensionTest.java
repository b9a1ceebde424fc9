package dev.concurrencysafe.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.redisson.api.RedissonClient;

/** The extension as a user's test class sees it, run through the JUnit test kit. */
class RealRedisExtensionTest {

  /** A user's test class (no "Test" suffix: run only from below). */
  @ExtendWith(RealRedisExtension.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class UsersTests {
    static volatile long pid;
    static volatile long keysSeenByTheSecondTest = -1;

    @Test
    @Order(1)
    void aLockIsARealRedisKeyAndADuplicateIsRefused(
        LockManager locks, RedissonClient client, RedisServer server) {
      pid = server.pid();
      try (Lease held = locks.with("lock:kit").cooldown(Duration.ofMinutes(5)).acquire()) {
        assertEquals(1, client.getKeys().countExists("{lock:kit}"), "the lock is a key in Redis");
        try (LockManager otherProcess = LockManager.redisson(client)) {
          assertThrows(
              ConcurrencyException.class, () -> otherProcess.with("lock:kit").run(() -> {}));
        }
      }
      assertTrue(server.keyCount() >= 1, "the cooldown keeps the key after the release");
    }

    @Test
    @Order(2)
    void eachTestStartsFromAnEmptyDatabase(RedisServer server, LockManager locks) {
      keysSeenByTheSecondTest = server.keyCount();
      locks.with("lock:kit").run(() -> {}); // the first test's cooldown is gone with the flush
    }
  }

  @Test
  void injectsARealServerClientAndManagerAndStopsTheServerAfterTheClass() {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(UsersTests.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));

    assertEquals(0, UsersTests.keysSeenByTheSecondTest);
    long pid = UsersTests.pid;
    assertTrue(pid > 0, "the first test saw the server's pid");
    Await.until(
        "the redis-server (pid " + pid + ") to be stopped after the class",
        Duration.ofSeconds(15),
        () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }
}
