package dev.concurrencysafe.examples.cdi;

import dev.concurrencysafe.examples.plain.ExampleApplication;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.ConfigProvider;
import org.redisson.api.RedissonClient;

/**
 * The application's one Redisson client, built from {@code concurrency-safe.redis.address}. The
 * concurrency-safe extension finds this bean and locks through it, so the application and its locks
 * share one connection pool (without it, the extension builds its own client from the same
 * settings).
 *
 * <p>Thread-safety: the container calls it once.
 */
@ApplicationScoped
public class RedisClientProducer {

  @Produces
  @ApplicationScoped
  RedissonClient redisson() {
    return ExampleApplication.redisson(
        ConfigProvider.getConfig().getValue("concurrency-safe.redis.address", String.class));
  }

  void close(@Disposes RedissonClient client) {
    client.shutdown();
  }
}
