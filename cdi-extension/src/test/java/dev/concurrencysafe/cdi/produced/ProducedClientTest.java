package dev.concurrencysafe.cdi.produced;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.Locks;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.Redis;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** An application's RedissonClient or LockManager bean wins over concurrency-safe.redis.*. */
class ProducedClientTest {

  private static RedisServer applicationRedis;
  private static RedisServer configuredRedis;
  static volatile CountDownLatch entered;
  static volatile CountDownLatch release;

  @ApplicationScoped
  public static class Jobs {
    @ConcurrencySafe(key = "lock:job:{id}")
    public String run(String id) throws InterruptedException {
      entered.countDown();
      release.await();
      return "done " + id;
    }
  }

  /** The application's own client, on a different server than the one configured. */
  @ApplicationScoped
  public static class ClientProducer {
    static volatile boolean disposed;

    @Produces
    @ApplicationScoped
    RedissonClient client() {
      Config config = new Config();
      config.useSingleServer().setAddress(applicationRedis.uri());
      return Redisson.create(config);
    }

    void close(@Disposes RedissonClient client) {
      disposed = true;
      client.shutdown();
    }
  }

  @ApplicationScoped
  public static class ManagerProducer {
    static final LockManager IN_MEMORY = LockManager.inMemory();

    @Produces
    @Singleton
    LockManager manager() {
      return IN_MEMORY;
    }
  }

  @BeforeAll
  static void startRedis() {
    applicationRedis = RedisServer.start();
    configuredRedis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    applicationRedis.close();
    configuredRedis.close();
    ManagerProducer.IN_MEMORY.close();
  }

  @Test
  void producedRedissonClientIsUsedAndLeftToItsOwner() throws Exception {
    try (TestContainer container =
        TestContainer.start(
            Map.of("concurrency-safe.redis.address", configuredRedis.uri()),
            Jobs.class,
            ClientProducer.class)) {
      assertHeldWhileRunning(
          container.bean(Jobs.class),
          () -> {
            assertTrue(
                Redis.exists(applicationRedis, "{lock:job:1}"),
                "lock taken through the produced client");
            assertEquals(0, configuredRedis.keyCount(), "the configured address is not used");
          });
      assertEquals(0, Redis.otherClients(configuredRedis), "no client was created from the config");
    }
    assertTrue(ClientProducer.disposed, "the application disposed its own client");
    assertEquals(0, Redis.otherClientsAfterShutdown(applicationRedis));
  }

  @Test
  void producedLockManagerIsUsedAndInstalledForTheDsl() throws Exception {
    try (TestContainer container =
        TestContainer.start(
            Map.of("concurrency-safe.redis.address", configuredRedis.uri()),
            Jobs.class,
            ManagerProducer.class)) {
      assertSame(ManagerProducer.IN_MEMORY, Locks.getDefault());
      assertHeldWhileRunning(
          container.bean(Jobs.class),
          () -> {
            assertThrows(
                ConcurrencyException.class,
                () -> Locks.with("lock:job:1").run(() -> {}),
                "the in-memory manager holds the key the interceptor took");
            assertEquals(0, configuredRedis.keyCount());
          });
      assertEquals(0, Redis.otherClients(configuredRedis));
    }
    assertThrows(IllegalStateException.class, Locks::getDefault, "default cleared at shutdown");
    ManagerProducer.IN_MEMORY.with(
        "lock:job:1"); // not closed by the extension: it is the application's
  }

  private static void assertHeldWhileRunning(Jobs jobs, Runnable whileHeld) throws Exception {
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<String> first = pool.submit(() -> jobs.run("1"));
      assertTrue(entered.await(10, TimeUnit.SECONDS));
      assertThrows(ConcurrencyException.class, () -> jobs.run("1"), "duplicate blocked");
      whileHeld.run();
      release.countDown();
      assertEquals("done 1", first.get(10, TimeUnit.SECONDS));
      assertFalse(Thread.currentThread().isInterrupted());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }
}
