package dev.concurrencysafe.test;

import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockManagerBuilder;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A group of the contract's tests, run by {@link LockBackendContract} as one of its nested classes
 * over the store that the contract opened for the test.
 *
 * <p>Thread-safety: JUnit runs one test per instance; the tests start their own threads.
 */
abstract class ContractTests {

  private final LockBackendContract contract;

  ContractTests(LockBackendContract contract) {
    this.contract = contract;
  }

  /** See {@link LockBackendContract#newEngine()}. */
  LockManager newEngine() {
    return contract.newEngine();
  }

  /** See {@link LockBackendContract#newEngine(Duration, LockListener...)}. */
  LockManager newEngine(Duration unavailableTimeout, LockListener... listeners) {
    return contract.newEngine(unavailableTimeout, listeners);
  }

  /** See {@link LockBackendContract#newEngine(UnaryOperator)}. */
  LockManager newEngine(UnaryOperator<LockManagerBuilder> settings) {
    return contract.newEngine(settings);
  }

  /** The store under test, wrapped so tests can make renewals hang or fail. */
  ControllableBackend store() {
    return contract.store;
  }

  /** See {@link LockBackendContract#storedEntries()}. */
  long storedEntries() {
    return contract.storedEntries();
  }
}
