package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockManagerBuilder;
import dev.concurrencysafe.integration.Redaction;
import jakarta.enterprise.inject.Instance;
import java.io.File;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The lock manager the interceptor uses, and what the extension created to get it: an application's
 * {@code LockManager} bean wins, then a manager over its {@code RedissonClient} bean, then a client
 * built from {@code concurrency-safe.redis.*}. A manager it builds reports to every {@code
 * LockListener} and {@code LockInstrumentation} bean (metrics, tracing, audit), in that order.
 * Closes only what it created.
 *
 * <p>Thread-safety: immutable after {@link #open}; {@link #close} is idempotent.
 */
final class Connection implements AutoCloseable {

  private final LockManager manager;
  private final boolean ownsManager;
  private final @Nullable RedissonClient ownedClient;

  private Connection(
      LockManager manager, boolean ownsManager, @Nullable RedissonClient ownedClient) {
    this.manager = manager;
    this.ownsManager = ownsManager;
    this.ownedClient = ownedClient;
  }

  LockManager manager() {
    return manager;
  }

  /** A human description of where the manager came from, for the startup log line. */
  String origin(GlobalSettings global) {
    if (!ownsManager) {
      return "the application's LockManager bean";
    }
    if (ownedClient == null) {
      return "the application's RedissonClient bean";
    }
    return global.redis().configFile() != null
        ? "Redisson config file " + global.redis().configFile()
        : global.redis().safeAddress();
  }

  static Connection open(
      Instance<LockManager> managers,
      Instance<RedissonClient> clients,
      Instance<LockListener> listeners,
      Instance<LockInstrumentation> instrumentations,
      GlobalSettings global) {
    if (managers.isResolvable()) {
      return new Connection(managers.get(), false, null);
    }
    LockManagerBuilder builder =
        LockManager.builder()
            .keyPrefix(global.keyPrefix())
            .defaultTtl(global.ttl())
            .repeatedLogInterval(global.repeatedLogInterval());
    for (LockListener listener : listeners) {
      builder.listener(listener);
    }
    for (LockInstrumentation instrumentation : instrumentations) {
      builder.instrumentation(instrumentation);
    }
    if (clients.isResolvable()) {
      return new Connection(builder.redisson(clients.get()), true, null);
    }
    RedissonClient client = createClient(global.redis());
    try {
      return new Connection(builder.redisson(client), true, client);
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  private static RedissonClient createClient(GlobalSettings.RedisSettings redis) {
    Config config;
    String file = redis.configFile();
    if (file != null) {
      try {
        config = Config.fromYAML(new File(file));
      } catch (IOException | RuntimeException e) {
        // a parser's message may quote the file, credentials included: name only the type then
        String why =
            e instanceof java.io.FileNotFoundException
                ? e.getMessage()
                : e.getClass().getName() + " (details withheld: the file may contain credentials)";
        throw new IllegalStateException(
            "could not read the Redisson config file '"
                + file
                + "' (concurrency-safe.redis.config-file): "
                + why,
            null);
      }
    } else {
      config = new Config();
    }
    try {
      if (file == null) {
        config.setUsername(redis.username()).setPassword(redis.password());
        config.useSingleServer().setAddress(redis.address());
      }
      return Redisson.create(config);
    } catch (RuntimeException e) {
      // no cause attached: Redisson's exceptions and their causes are not ours to vouch for
      throw new IllegalStateException(
          "could not connect to Redis at "
              + (file != null ? "the servers of " + file : redis.safeAddress())
              + ": "
              + describe(e, redis),
          null);
    }
  }

  /** The exception and its root cause, without the configured credentials or any URI user info. */
  private static String describe(Throwable error, GlobalSettings.RedisSettings redis) {
    return redis.mask(Redaction.describe(error));
  }

  @Override
  public void close() {
    if (ownsManager) {
      manager.close();
    }
    if (ownedClient != null && !ownedClient.isShutdown()) {
      ownedClient.shutdown();
    }
  }
}
