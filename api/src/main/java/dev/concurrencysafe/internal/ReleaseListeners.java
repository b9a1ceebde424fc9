package dev.concurrencysafe.internal;

import dev.concurrencysafe.spi.LockBackend;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The release callbacks a backend holds per key, shared by both backends.
 *
 * <p>Thread-safety: thread-safe; adding and removing happen inside {@code compute}, so a concurrent
 * removal of a key's last callback cannot drop one being added.
 */
final class ReleaseListeners {

  private final ConcurrentHashMap<String, Set<Runnable>> byKey = new ConcurrentHashMap<>();

  LockBackend.Subscription add(String key, Runnable onRelease) {
    byKey.compute(
        key,
        (k, set) -> {
          Set<Runnable> result = set == null ? ConcurrentHashMap.newKeySet() : set;
          result.add(onRelease);
          return result;
        });
    return () ->
        byKey.computeIfPresent(
            key,
            (k, set) -> {
              set.remove(onRelease);
              return set.isEmpty() ? null : set;
            });
  }

  void released(String key) {
    Set<Runnable> waiting = byKey.get(key);
    if (waiting != null) {
      waiting.forEach(Runnable::run);
    }
  }

  int size() {
    return byKey.size();
  }

  void clear() {
    byKey.clear();
  }
}
