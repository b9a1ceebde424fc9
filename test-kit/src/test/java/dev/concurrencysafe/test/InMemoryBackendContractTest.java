package dev.concurrencysafe.test;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.LockBackend;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The built-in in-memory backend passes the contract. */
class InMemoryBackendContractTest extends LockBackendContract {

  /**
   * Keys acquired and not yet released: what the in-memory store holds (it has no public count).
   */
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  @Override
  protected LockBackend newBackend() {
    LockBackend backend = LockManager.builder().inMemoryBackend();
    return new ForwardingBackend(backend) {
      @Override
      public CompletionStage<AcquireResult> tryAcquire(String key, String owner, long ttlMillis) {
        return super.tryAcquire(key, owner, ttlMillis)
            .thenApply(
                result -> {
                  if (result.acquired()) {
                    held.add(key);
                  }
                  return result;
                });
      }

      @Override
      public CompletionStage<Boolean> release(String key, String owner, long keepMillis) {
        return super.release(key, owner, keepMillis)
            .thenApply(
                released -> {
                  if (released && keepMillis == 0) {
                    held.remove(key);
                  }
                  return released;
                });
      }
    };
  }

  @Override
  protected long storedEntries() {
    return held.size();
  }
}
