package dev.concurrencysafe.examples.plain;

import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockManagerBuilder;
import dev.concurrencysafe.Locks;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Startup and shutdown of a plain Java application using concurrency-safe: validate the catalog,
 * build one {@link LockManager} over the application's Redisson client and install it as the
 * default behind {@link Locks}.
 *
 * <pre>{@code
 * try (ExampleApplication app = ExampleApplication.start(ExampleApplication.redisson(url))) {
 *   new RewardService(ledger).giveReward(userId, rewardId);
 * }
 * }</pre>
 *
 * <p>Thread-safety: thread-safe once started; {@link #close()} once, at shutdown.
 */
public final class ExampleApplication implements AutoCloseable {

  private final RedissonClient client;
  private final LockManager locks;

  private ExampleApplication(RedissonClient client, LockManager locks) {
    this.client = client;
    this.locks = locks;
  }

  /**
   * Validates {@link CacheKey} (a malformed or duplicated pattern fails here, at startup, not on
   * the first request that uses it), then installs a Redisson-backed manager as the default. Takes
   * ownership of {@code client}: {@link #close()} shuts it down.
   */
  public static ExampleApplication start(RedissonClient client) {
    return start(client, "");
  }

  /**
   * Like {@link #start(RedissonClient)}, with every lock key prefixed by {@code keyPrefix} (for
   * example {@code "shop:"}), so several applications can share one Redis.
   */
  public static ExampleApplication start(RedissonClient client, String keyPrefix) {
    return start(client, keyPrefix, new LockListener[0]);
  }

  /**
   * Like {@link #start(RedissonClient, String)}, with {@code listeners} receiving the manager's
   * lock events, for example {@code new LockMetrics(meterRegistry)} from
   * concurrency-safe-micrometer.
   */
  public static ExampleApplication start(
      RedissonClient client, String keyPrefix, LockListener... listeners) {
    LockKey.validateCatalog(CacheKey.class);
    LockManagerBuilder builder = LockManager.builder().keyPrefix(keyPrefix);
    for (LockListener listener : listeners) {
      builder.listener(listener);
    }
    LockManager locks = builder.redisson(client);
    Locks.setDefault(locks);
    return new ExampleApplication(client, locks);
  }

  /**
   * A Redisson client for one Redis server, e.g. {@code redis://127.0.0.1:6379}. Sentinel and
   * Cluster work the same way through {@code useSentinelServers()} / {@code useClusterServers()}.
   */
  public static RedissonClient redisson(String address) {
    Config config = new Config();
    config
        .useSingleServer()
        .setAddress(address)
        .setConnectionMinimumIdleSize(4)
        .setConnectionPoolSize(64);
    return Redisson.create(config);
  }

  /** The manager behind {@link Locks}. */
  public LockManager locks() {
    return locks;
  }

  /** The application's Redisson client. */
  public RedissonClient redissonClient() {
    return client;
  }

  /** Uninstalls and closes the manager, then shuts the client down. */
  @Override
  public void close() {
    Locks.clearDefault(locks);
    locks.close();
    client.shutdown();
  }
}
