package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.NameMapper;

/**
 * A Redisson {@code NameMapper} (e.g. one namespace per tenant) renames the keys and the release
 * channel; waiters must still be woken by a release, not by the holder's ttl running out.
 */
class NameMapperTest {

  private static final class TenantMapper implements NameMapper {
    @Override
    public String map(String name) {
      return "tenant-7:" + name;
    }

    @Override
    public String unmap(String name) {
      return name.substring("tenant-7:".length());
    }
  }

  @Test
  void aWaiterIsWokenByTheReleaseThroughTheMappedChannel() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      Config config = new Config();
      config.useSingleServer().setAddress(redis.uri()).setNameMapper(new TenantMapper());
      RedissonClient client = Redisson.create(config);
      try (LockManager locks = LockManager.redisson(client)) {
        // a ttl far beyond the wait: only the release notification can let the waiter in
        Lease held = locks.with("lock:report").ttl(Duration.ofMinutes(5)).acquire();
        assertEquals(
            "1", redis.command("EXISTS", "tenant-7:{lock:report}"), "the mapper is in effect");
        CompletableFuture<Long> waiter =
            CompletableFuture.supplyAsync(
                () -> {
                  try (Lease lease =
                      locks.with("lock:report").waitTimeout(Duration.ofSeconds(30)).acquire()) {
                    return lease.fencingToken();
                  }
                });
        // the waiter is parked once its refused ACQUIRE has subscribed to the release channel
        Await.until(
            "the waiter subscribed to the mapped release channel",
            Duration.ofSeconds(10),
            () -> redis.subscribers("tenant-7:concurrency-safe:released") == 1);
        held.close();
        // without the notification the waiter would sleep until its 30 s deadline and be refused
        long token = waiter.get(20, TimeUnit.SECONDS);
        assertTrue(token > held.fencingToken(), "the waiter took the lock after the holder");
      } finally {
        client.shutdown();
      }
    }
  }
}
