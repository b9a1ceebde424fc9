package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A manager's registry of leases: the open ones (the manager shuts down after the last one closes
 * once it was closed), and, per thread, the ones whose body runs on it (so that a nested call for
 * the same key joins instead of deadlocking on itself).
 *
 * <p>Thread-safety: thread-safe; the per-thread map is confined to its thread.
 */
final class Leases {

  private final Set<LeaseImpl> open = ConcurrentHashMap.newKeySet();

  /** Leases held by the current thread inside a body's dynamic extent, by key. */
  private final ThreadLocal<Map<String, LeaseImpl>> heldByThread =
      ThreadLocal.withInitial(HashMap::new);

  private final AtomicBoolean closed = new AtomicBoolean();
  private final Runnable shutDown;

  /**
   * @param shutDown stops the manager's threads and backend; run once the last lease closed
   */
  Leases(Runnable shutDown) {
    this.shutDown = shutDown;
  }

  boolean closed() {
    return closed.get();
  }

  /** The manager closed: it shuts down now, or after the last open lease closes. */
  void close() {
    if (closed.compareAndSet(false, true) && open.isEmpty()) {
      shutDown.run();
    }
  }

  void opened(LeaseImpl lease) {
    open.add(lease);
  }

  void forget(LeaseImpl lease) {
    open.remove(lease);
    if (closed.get() && open.isEmpty()) {
      shutDown.run();
    }
  }

  /** The open lease for {@code key} whose body runs on this thread, or null. */
  @Nullable LeaseImpl heldByThisThread(String key) {
    LeaseImpl outer = heldByThread.get().get(key);
    return outer != null && !outer.isClosed() ? outer : null;
  }

  /** Makes this thread the holder of {@code lease} while a body runs; returns what to exit. */
  @Nullable LeaseImpl enterBody(Lease lease) {
    if (lease instanceof LeaseImpl held) {
      heldByThread.get().put(held.key(), held);
      return held;
    }
    return null;
  }

  void exitBody(@Nullable LeaseImpl held) {
    if (held != null) {
      heldByThread.get().remove(held.key(), held);
    }
  }
}
