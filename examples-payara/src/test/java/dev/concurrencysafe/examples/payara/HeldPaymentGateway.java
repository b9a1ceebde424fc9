package dev.concurrencysafe.examples.payara;

import dev.concurrencysafe.examples.shop.PaymentGateway;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Replaces the payment in the test WAR (the test adds this class to the example's WAR): the test
 * runs in another process than the server, so the charge is held through Redis itself. A charge
 * pushes the user onto {@value #ENTERED}, then blocks on {@value #RELEASE} (BLPOP) until the test
 * pushes a token: concurrent identical requests really overlap on the server.
 *
 * <p>Thread-safety: thread-safe (Redisson's client is).
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class HeldPaymentGateway implements PaymentGateway {

  static final String ENTERED = "test:payments:entered";
  static final String RELEASE = "test:payments:release";

  private @Nullable RedissonClient redis;

  @PostConstruct
  void connect() {
    Config config = new Config();
    config
        .useSingleServer()
        .setAddress(
            ConfigProvider.getConfig().getValue("concurrency-safe.redis.address", String.class));
    redis = Redisson.create(config);
  }

  @PreDestroy
  void close() {
    RedissonClient client = redis;
    if (client != null) {
      client.shutdown();
    }
  }

  @Override
  public void charge(String userId, String ticketId) {
    RedissonClient client = redis;
    if (client == null) {
      throw new IllegalStateException("not connected");
    }
    client.getList(ENTERED, StringCodec.INSTANCE).add(userId);
    try {
      client.getBlockingQueue(RELEASE, StringCodec.INSTANCE).poll(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
