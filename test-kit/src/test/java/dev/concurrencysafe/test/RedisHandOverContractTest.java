package dev.concurrencysafe.test;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.spi.LockBackend;

/**
 * The built-in Redis backend with {@code handOver(true)} (waiters queued in Redis, a release hands
 * the key to the first of them), on a real server, passes the same contract.
 */
class RedisHandOverContractTest extends RedisBackendContractTest {

  @Override
  protected LockBackend newBackend() {
    return LockManager.builder().handOver(true).redissonBackend(client());
  }
}
