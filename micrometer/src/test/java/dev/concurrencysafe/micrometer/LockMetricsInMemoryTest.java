package dev.concurrencysafe.micrometer;

import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockManagerBuilder;

class LockMetricsInMemoryTest extends LockMetricsContract {

  @Override
  LockManager manager(LockListener... listeners) {
    LockManagerBuilder builder = LockManager.builder();
    for (LockListener listener : listeners) {
      builder.listener(listener);
    }
    return builder.inMemory();
  }

  @Override
  int distinctUsers() {
    return 10_000;
  }
}
