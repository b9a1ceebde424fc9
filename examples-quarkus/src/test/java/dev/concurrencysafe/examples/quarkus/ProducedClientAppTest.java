package dev.concurrencysafe.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * An application that produces its own {@code RedissonClient}: on ArC the library finds and uses it
 * although nothing else injects it. The configured address points nowhere, so the application could
 * not even start if the library built its own client.
 */
class ProducedClientAppTest {

  static volatile CountDownLatch entered = new CountDownLatch(1);
  static volatile CountDownLatch release = new CountDownLatch(1);

  /** The application's client, as a Quarkus application would produce one. */
  @Alternative
  @ApplicationScoped
  public static class ClientProducer {
    @Produces
    @ApplicationScoped
    RedissonClient client() {
      Config config = new Config();
      config
          .useSingleServer()
          .setAddress(ConfigProvider.getConfig().getValue(AppRedis.ADDRESS, String.class));
      return Redisson.create(config);
    }

    void close(@Disposes RedissonClient client) {
      client.shutdown();
    }
  }

  @Alternative
  @ApplicationScoped
  public static class Rewards {
    @ConcurrencySafe(key = "lock:reward:{userId}")
    public String give(String userId) throws InterruptedException {
      entered.countDown();
      release.await(20, TimeUnit.SECONDS);
      return "rewarded " + userId;
    }
  }

  @RegisterExtension
  static final QuarkusUnitTest APP =
      UnitApps.withoutTheShop()
          .withApplicationRoot(
              jar ->
                  jar.addClasses(
                      UnitApps.class, ClientProducer.class, Rewards.class, AppRedis.class))
          .overrideConfigKey(
              "quarkus.arc.selected-alternatives",
              ClientProducer.class.getName() + "," + Rewards.class.getName())
          .overrideRuntimeConfigKey("concurrency-safe.redis.address", "redis://127.0.0.1:1")
          .setBeforeAllCustomizer(AppRedis::start)
          .setAfterAllCustomizer(AppRedis::stop);

  @Inject Rewards rewards;

  @Test
  void theProducedClientIsUsedAndOfTwoConcurrentCallsOneRuns() throws Exception {
    CompletableFuture<String> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return rewards.give("u1");
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(entered.await(20, TimeUnit.SECONDS), "the first call runs");
    assertThrows(ConcurrencyException.class, () -> rewards.give("u1"), "the duplicate is rejected");
    release.countDown();
    assertEquals("rewarded u1", first.get(20, TimeUnit.SECONDS));
  }
}
