package dev.concurrencysafe.test;

import dev.concurrencysafe.LockManagerBuilder;
import dev.concurrencysafe.spi.LockBackend;

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
 * (ttl and cooldown tests wait out short real times). The tests live in focused groups that this
 * class inherits (exclusion, refusals, expiry with renewal, cooldown and fencing, waiting, bad
 * arguments); a subclass supplies the two hooks below and may build more managers with {@code
 * newEngine(..)}.
 *
 * <p>Thread-safety: JUnit runs one test per instance; the tests start their own threads.
 */
public abstract class LockBackendContract extends WaitingTests {

  /** For JUnit and subclasses. */
  protected LockBackendContract() {}

  /** A fresh, empty store for each test; closed after the test. */
  @Override
  protected abstract LockBackend newBackend();

  /** Entries currently in the store (keys in Redis), to prove that releases leave nothing. */
  @Override
  protected abstract long storedEntries();
}
