package dev.concurrencysafe.examples.demo;

import dev.concurrencysafe.LockManager;
import org.redisson.api.RedissonClient;

/**
 * What every scenario gets: the Redis client, the lock manager installed behind {@code Locks} (keys
 * prefixed by {@code keyPrefix}), a prefix for the scenario's own data keys, so runs against a
 * shared Redis never see each other's data, the report, and the library's collected log lines.
 *
 * <p>Thread-safety: immutable; its parts are thread-safe except the report (main thread only).
 */
record DemoContext(
    RedissonClient redis,
    LockManager locks,
    String keyPrefix,
    String dataPrefix,
    Report report,
    LogTap logs) {

  /** The data key {@code name} in this run's namespace. */
  String dataKey(String name) {
    return dataPrefix + name;
  }

  /** The naive helper's key {@code name}, in this run's namespace. */
  String naiveKey(String name) {
    return dataPrefix + "naive:" + name;
  }
}
