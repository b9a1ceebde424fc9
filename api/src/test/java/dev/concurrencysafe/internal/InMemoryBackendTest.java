package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.spi.LockBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryBackendTest extends BackendFixture {

  private InMemoryBackend backend;

  @Override
  protected LockBackend newBackend() {
    backend = new InMemoryBackend();
    return backend;
  }

  @Override
  protected long storedEntries() {
    return backend.size();
  }

  @Test
  void distinctKeysLeaveNothingBehindOnceTheirCooldownsExpire() {
    LockManager locks = newEngine();
    for (int i = 0; i < 20_000; i++) {
      locks.with("user:" + i).run(() -> {});
    }
    assertTrue(backend.size() == 0, "released keys are removed: " + backend.size());
    for (int i = 0; i < 5_000; i++) {
      locks.with("cool:" + i).cooldown(Duration.ofMillis(1)).run(() -> {});
    }
    long expired = System.nanoTime() + Duration.ofMillis(5).toNanos();
    while (System.nanoTime() < expired) {
      Thread.onSpinWait();
    }
    for (int i = 0; i < 2_048; i++) {
      locks.with("other").run(() -> {});
    }
    assertTrue(backend.size() <= 1, "expired cooldowns are swept: " + backend.size());
  }
}
