package dev.concurrencysafe.opentelemetry;

import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockManager;

class LockSpansInMemoryTest extends LockSpansContract {

  @Override
  LockManager manager(LockInstrumentation instrumentation) {
    return LockManager.builder().instrumentation(instrumentation).inMemory();
  }
}
