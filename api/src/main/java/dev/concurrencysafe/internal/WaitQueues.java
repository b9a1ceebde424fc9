package dev.concurrencysafe.internal;

import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One manager's local FIFO queues of callers waiting for a key (parked threads and asynchronous
 * acquisitions alike), each with the key's release listener; a queue and its listener go when its
 * last waiter leaves.
 *
 * <p>Thread-safety: thread-safe.
 */
final class WaitQueues {

  private final StoreGateway store;
  private final ConcurrentHashMap<String, LocalWaiters> waiting = new ConcurrentHashMap<>();

  WaitQueues(StoreGateway store) {
    this.store = store;
  }

  /** Queues {@code waiter} for {@code fullKey}, creating the key's queue and listener if needed. */
  LocalWaiters join(String fullKey, LocalWaiters.Waiter waiter) {
    return waiting.compute(
        fullKey,
        (key, current) -> {
          LocalWaiters waiters =
              current != null
                  ? current
                  : new LocalWaiters(
                      store.handsOver()
                          ? local -> store.subscribeHandOvers(key, local::handOver)
                          : local -> store.subscribe(key, local::wakeFirst));
          waiters.add(waiter);
          return waiters;
        });
  }

  /**
   * Taken before a waiting caller's first ACQUIRE: the key's waiters if their hand-over
   * subscription is in place now, else null (also when nothing is to be learnt from it: the default
   * protocol, or a store that keeps hand-overs). See {@link #mayHaveMissed}.
   */
  @Nullable LocalWaiters listening(String fullKey) {
    if (!store.handsOver() || store.keepsHandOvers()) {
      return null;
    }
    LocalWaiters waiters = waiting.get(fullKey);
    return waiters != null && waiters.listening() ? waiters : null;
  }

  /**
   * Whether a caller that joined {@code joined} after its first ACQUIRE must ask again once
   * subscribed: a release or hand-over between that ACQUIRE and the subscription would otherwise be
   * missed until the re-check. Not when the store keeps hand-overs for a later subscription, nor
   * when the caller joined the very waiters that were {@link #listening} before it sent the
   * ACQUIRE.
   */
  boolean mayHaveMissed(LocalWaiters joined, @Nullable LocalWaiters listeningBefore) {
    return joined != listeningBefore && !store.keepsHandOvers();
  }

  /** Takes {@code waiter} out of {@code waiters}; the queue goes with its last waiter. */
  void leave(String fullKey, LocalWaiters waiters, LocalWaiters.Waiter waiter) {
    waiting.computeIfPresent(
        fullKey, (key, current) -> current == waiters && waiters.remove(waiter) ? null : current);
  }

  /** Tells every waiter the manager closed (before the scheduler and the listeners go). */
  void managerClosed() {
    waiting.values().forEach(LocalWaiters::managerClosed);
  }

  /** Keys somebody waits for (a test's view of what waits leave behind). */
  int keysWaitedFor() {
    return waiting.size();
  }

  /** Callers waiting for {@code fullKey}, for tests. */
  int queuedFor(String fullKey) {
    LocalWaiters waiters = waiting.get(fullKey);
    return waiters == null ? 0 : waiters.size();
  }
}
