package dev.concurrencysafe.internal;

import dev.concurrencysafe.spi.LockBackend;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The callbacks a backend holds per key: release listeners ({@code Runnable}) of both backends, and
 * the Redis backend's hand-over listeners ({@code Consumer<HandOver>}).
 *
 * <p>Thread-safety: thread-safe; adding and removing happen inside {@code compute}, so a concurrent
 * removal of a key's last callback cannot drop one being added.
 */
final class ReleaseListeners<L> {

  private final ConcurrentHashMap<String, Set<L>> byKey = new ConcurrentHashMap<>();

  LockBackend.Subscription add(String key, L listener) {
    byKey.compute(
        key,
        (k, set) -> {
          Set<L> result = set == null ? ConcurrentHashMap.newKeySet() : set;
          result.add(listener);
          return result;
        });
    return () ->
        byKey.computeIfPresent(
            key,
            (k, set) -> {
              set.remove(listener);
              return set.isEmpty() ? null : set;
            });
  }

  /** Calls {@code call} with each of {@code key}'s listeners; false if it had none. */
  boolean each(String key, Consumer<? super L> call) {
    Set<L> listening = byKey.get(key);
    boolean any = false;
    if (listening != null) {
      for (L listener : listening) {
        call.accept(listener);
        any = true;
      }
    }
    return any;
  }

  int size() {
    return byKey.size();
  }

  void clear() {
    byKey.clear();
  }
}
