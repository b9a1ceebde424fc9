package dev.concurrencysafe.cdi.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Locks;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.Redis;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension installs its manager as Locks' default, so the DSL works inside the container (and
 * joins an interceptor's lock on the same thread); at shutdown it clears the default and closes the
 * client it created. Also deploys through discovery, as an application would.
 */
class LocksInContainerTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  @ApplicationScoped
  public static class Inventory {
    @ConcurrencySafe(key = "lock:stock:{sku}")
    public String restock(String sku) {
      // nested DSL call with the same key on the same thread: the core's reentrancy rule
      return Locks.with("lock:stock:" + sku).call(() -> "restocked " + sku);
    }

    public String count(String sku, CountDownLatch entered, CountDownLatch release)
        throws InterruptedException {
      return Locks.with("lock:count:" + sku)
          .call(
              () -> {
                entered.countDown();
                release.await();
                return "counted " + sku;
              });
    }
  }

  @Test
  void locksWithWorksInsideTheContainerAndIsClearedAtShutdown() throws Exception {
    try (TestContainer container =
        TestContainer.start(
            Map.of(
                "concurrency-safe.redis.address",
                redis.uri(),
                "concurrency-safe.key-prefix",
                "inv:"),
            Inventory.class)) {
      Inventory inventory = container.bean(Inventory.class);
      assertEquals("restocked A", inventory.restock("A"));

      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> first =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return inventory.count("B", entered, release);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      assertTrue(entered.await(10, TimeUnit.SECONDS));
      assertTrue(
          Redis.exists(redis.server(), "{inv:lock:count:B}"),
          "Locks.with uses the extension's manager");
      assertThrows(
          ConcurrencyException.class,
          () -> Locks.with("lock:count:B").waitTimeout(Duration.ZERO).run(() -> {}));
      release.countDown();
      assertEquals("counted B", first.get(10, TimeUnit.SECONDS));
      assertTrue(Redis.otherClients(redis.server()) > 0, "connected by the extension");
    }
    assertThrows(IllegalStateException.class, Locks::getDefault, "default cleared at shutdown");
    assertEquals(
        0,
        Redis.otherClientsAfterShutdown(redis.server()),
        "the client the extension created is closed");
  }

  @Test
  void discoveredThroughBeansXmlAndServiceLoaderLikeAnApplication() throws Exception {
    Config config =
        TestContainer.installConfig(Map.of("concurrency-safe.redis.address", redis.uri()));
    // discovery on: the interceptor comes from the jar's beans.xml, the extension from
    // META-INF/services; only the application bean is added by hand (test classes have no
    // beans.xml)
    try (SeContainer container =
        SeContainerInitializer.newInstance().addBeanClasses(Inventory.class).initialize()) {
      Inventory inventory = container.select(Inventory.class).get();
      redis.command("SET", "{lock:stock:Z}", "someone-else", "PX", "60000");
      assertThrows(ConcurrencyException.class, () -> inventory.restock("Z"), "intercepted");
      assertFalse(Locks.getDefault() == null);
    } finally {
      TestContainer.releaseConfig(config);
    }
    assertEquals(0, Redis.otherClientsAfterShutdown(redis.server()));
  }
}
