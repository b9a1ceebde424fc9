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
import org.junit.jupiter.api.Nested;

/**
 * The semantics every {@link LockBackend} must give through the engine: extend it, supply a real,
 * empty store per test, and run it with JUnit 5. Each test builds managers with {@link
 * LockManagerBuilder#backend(LockBackend)} over the one store, so two managers stand for two
 * processes; a backend passes when every test does. The built-in Redis and in-memory backends run
 * it in this artifact's own build, and a deliberately broken backend is shown to fail it.
 *
 * <pre>{@code
 * class MyBackendContractTest extends LockBackendContract {
 *   protected LockBackend newBackend() { return new MyBackend(freshStore()); }
 *   protected long storedEntries() { return countEntriesIn(store); }
 * }
 * }</pre>
 *
 * <p>The suite wraps the backend to simulate hanging or lost renewals and lost release
 * notifications, so a backend needs nothing beyond the SPI. Tests take a few seconds each at most
 * (ttl and cooldown tests wait out short real times). They run as nested groups: {@code Exclusion},
 * {@code Refusals}, {@code Expiry} (renewal, cooldown, fencing), {@code Waiting} and {@code
 * Arguments}.
 *
 * <p>Thread-safety: JUnit runs one test per instance; the tests start their own threads.
 */
public abstract class LockBackendContract {

  /** A fresh, empty store for each test; closed after the test. */
  protected abstract LockBackend newBackend();

  /** Entries currently in the store (keys in Redis), to prove that releases leave nothing. */
  protected abstract long storedEntries();

  /** The store under test, wrapped so tests can make renewals hang or fail. */
  ControllableBackend store;

  private LockBackend realBackend;
  private final List<LockManager> engines = new ArrayList<>();

  /** For JUnit and subclasses. */
  protected LockBackendContract() {}

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
    return newEngine(builder -> {
      builder.unavailableTimeout(unavailableTimeout);
      for (LockListener listener : listeners) {
        builder.listener(listener);
      }
      return builder;
    });
  }

  /** A manager over the store under test, configured by {@code settings}; closed after the test. */
  protected LockManager newEngine(UnaryOperator<LockManagerBuilder> settings) {
    LockManager engine = settings.apply(LockManager.builder()
        .fencingRetention(Duration.ofMinutes(10))).backend(store);
    engines.add(engine);
    return engine;
  }

  /** One holder per key across managers and threads. */
  @Nested
  class Exclusion extends ExclusionTests {
    Exclusion() {
      super(LockBackendContract.this);
    }
  }

  /** How a duplicate is refused, logged and reported to listeners. */
  @Nested
  class Refusals extends RefusalTests {
    Refusals() {
      super(LockBackendContract.this);
    }
  }

  /** Renewal, expiry, cooldown and fencing tokens. */
  @Nested
  class Expiry extends ExpiryTests {
    Expiry() {
      super(LockBackendContract.this);
    }
  }

  /** Waiters and asynchronous calls. */
  @Nested
  class Waiting extends WaitingTests {
    Waiting() {
      super(LockBackendContract.this);
    }
  }

  /** Typed errors for bad input. */
  @Nested
  class Arguments extends ArgumentTests {
    Arguments() {
      super(LockBackendContract.this);
    }
  }
}
