package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.spi.LockBackend;
import dev.concurrencysafe.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
    return newEngine(settings(unavailableTimeout, listeners));
  }

  /** A manager's settings for tests: no prefix, 10 s ttl, 10 min fencing retention. */
  static ManagerSettings settings(Duration unavailableTimeout, LockListener... listeners) {
    return new ManagerSettings(
        "",
        Duration.ofSeconds(10),
        unavailableTimeout,
        Duration.ofMinutes(10),
        Stream.of(listeners).map(ListenerInstrumentation::of).toList(),
        Duration.ofSeconds(10));
  }

  protected LockEngine newEngine(ManagerSettings settings) {
    LockEngine engine = new LockEngine(store, settings);
    engines.add(engine);
    return engine;
  }

  /**
   * FIFO among one manager's async waiters is the engine's local queue, whatever the backend; it
   * needs the engine's queue length to order arrivals, so it lives here, not in the public suite.
   */
  @Test
  void asyncWaitersOfOneManagerAreServedInArrivalOrderOneAtATime() throws Exception {
    LockEngine locks = newEngine();
    Lease held = newEngine().with("async-fifo").acquire();
    int attemptsBefore = store.acquireAttempts.get();
    List<Integer> served = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> waiters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int id = i;
      waiters.add(
          locks
              .with("async-fifo")
              .waitTimeout(Duration.ofSeconds(30))
              .callAsync(
                  () -> {
                    served.add(id);
                    return CompletableFuture.<Void>completedFuture(null);
                  })
              .toCompletableFuture());
      int queued = i + 1;
      // queued, and both its attempts (the first, and the one after joining) answered: an attempt
      // still on its way at the release could take the key ahead of the first in line
      Await.until(
          queued + " async waiter(s) queued and parked",
          Duration.ofSeconds(10),
          () ->
              locks.queuedFor("async-fifo") == queued
                  && store.acquireAttempts.get() == attemptsBefore + 2 * queued
                  && store.acquireReplies.get() == store.acquireAttempts.get());
    }
    held.close();
    CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertEquals(List.of(0, 1, 2, 3, 4), served, "FIFO within one manager");
  }

  static void expect(Class<? extends Throwable> type, String messageStart, Runnable call) {
    Throwable thrown = assertThrows(type, call::run);
    assertTrue(
        thrown.getMessage().startsWith(messageStart),
        "message '" + thrown.getMessage() + "' should start with '" + messageStart + "'");
  }
}
