package dev.concurrencysafe.test;

import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockManagerBuilder;
import dev.concurrencysafe.spi.LockBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every test of {@link LockBackendContract} runs on: a fresh store per test, opened from the
 * subclass's {@code newBackend()} and wrapped so tests can make renewals hang or fail, and the
 * managers ("processes") built over it, all closed after the test.
 *
 * <p>Thread-safety: JUnit runs one test per instance; the tests start their own threads.
 */
abstract class ContractFixture {

  /** A fresh, empty store for each test; closed after the test. */
  protected abstract LockBackend newBackend();

  /** Entries currently in the store (keys in Redis), to prove that releases leave nothing. */
  protected abstract long storedEntries();

  /** The store under test, wrapped so tests can make renewals hang or fail. */
  ControllableBackend store;

  private LockBackend realBackend;
  private final List<LockManager> engines = new ArrayList<>();

  ContractFixture() {}

  /** Opens the store for one test. */
  @BeforeEach
  void openStore() {
    realBackend = newBackend();
    store = new ControllableBackend(realBackend);
  }

  @AfterEach
  void closeEngines() {
    engines.forEach(LockManager::close);
    realBackend.close();
  }

  /** A manager (one "process") over the store under test, with default settings. */
  protected LockManager newEngine() {
    return newEngine(Duration.ofSeconds(3));
  }

  /** A manager over the store under test with this unavailable timeout and these listeners. */
  protected LockManager newEngine(Duration unavailableTimeout, LockListener... listeners) {
    return newEngine(
        builder -> {
          builder.unavailableTimeout(unavailableTimeout);
          for (LockListener listener : listeners) {
            builder.listener(listener);
          }
          return builder;
        });
  }

  /** A manager over the store under test, configured by {@code settings}; closed after the test. */
  protected LockManager newEngine(UnaryOperator<LockManagerBuilder> settings) {
    LockManager engine =
        settings
            .apply(LockManager.builder().fencingRetention(Duration.ofMinutes(10)))
            .backend(store);
    engines.add(engine);
    return engine;
  }

  /** The store under test, wrapped so tests can make renewals hang or fail. */
  ControllableBackend store() {
    return store;
  }
}
