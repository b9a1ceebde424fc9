package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.spi.LockBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Engines over one real store per test, for the tests of one built-in backend's specifics. The
 * semantics every backend must give are the public contract suite, {@code LockBackendContract} in
 * concurrency-safe-test, which runs both built-in backends in that module's build.
 */
abstract class BackendFixture {

  /** A fresh, empty store for each test. */
  protected abstract LockBackend newBackend();

  /** Entries currently in the store (keys in Redis). */
  protected abstract long storedEntries();

  protected ControllableBackend store;

  private LockBackend realBackend;
  private final List<LockEngine> engines = new ArrayList<>();

  @BeforeEach
  void openStore() {
    realBackend = newBackend();
    store = new ControllableBackend(realBackend);
  }

  @AfterEach
  void closeEngines() {
    engines.forEach(LockEngine::close);
    realBackend.close();
  }

  protected LockEngine newEngine() {
    return newEngine(Duration.ofSeconds(3));
  }

  protected LockEngine newEngine(Duration unavailableTimeout, LockListener... listeners) {
    return newEngine(new ManagerSettings("", Duration.ofSeconds(10), unavailableTimeout,
        Duration.ofMinutes(10), List.of(listeners)));
  }

  protected LockEngine newEngine(ManagerSettings settings) {
    LockEngine engine = new LockEngine(store, settings);
    engines.add(engine);
    return engine;
  }

  static void expect(Class<? extends Throwable> type, String messageStart, Runnable call) {
    Throwable thrown = assertThrows(type, call::run);
    assertTrue(thrown.getMessage().startsWith(messageStart),
        "message '" + thrown.getMessage() + "' should start with '" + messageStart + "'");
  }
}
