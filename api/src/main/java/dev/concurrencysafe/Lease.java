package dev.concurrencysafe;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A held lock, returned by {@link LockSpec#acquire()} (or {@link LockSpec#acquireAsync()}); close
 * it with try-with-resources, or {@link #closeAsync()} from asynchronous code.
 *
 * <p>While open, the lease is renewed in the background every {@code ttl/3}. Closing releases the
 * lock (or, with a cooldown, keeps the key until acquisition + cooldown) only if this lease still
 * owns it; closing twice is harmless. Ownership belongs to the lease, not to a thread: a lease may
 * be closed from any thread. {@link #close()} waits for the release round trip (at most the
 * manager's unavailable timeout), so do not close it on a Redis client's I/O thread or an event
 * loop: there use {@link #closeAsync()}, or {@link LockSpec#callAsync}, which releases without
 * blocking.
 *
 * <p>Thread-safety: safe to use from several threads.
 */
public interface Lease extends AutoCloseable {

  /** The lock key as given to {@code with(..)} (without the manager's prefix). */
  String key();

  /**
   * A number that strictly increases for the same key across successive owners. Pass it to the
   * resource you protect and let it reject writes carrying an older token: that closes the gap a
   * pause longer than the ttl opens. A lease obtained under {@link LockSpec#failOpen()} while the
   * store was unreachable has token 0.
   */
  long fencingToken();

  /**
   * Whether the lock can still be known to be held: false once closed, once a renewal found the key
   * expired or taken, or once the last confirmed expiry has passed by the monotonic clock (for
   * example after a long GC, a SIGSTOP, or renewals failing while Redis is unreachable). A lease
   * that turned invalid stays invalid; the loss is logged at ERROR and reported as {@code
   * LEASE_LOST}.
   */
  boolean isValid();

  /** Releases the lock if this lease still owns it. Idempotent; never throws. */
  @Override
  void close();

  /**
   * Like {@link #close()} without blocking the calling thread: the stage completes, never
   * exceptionally, once the store answered the release (or the manager's unavailable timeout
   * passed; the key then expires by itself within its ttl). Idempotent.
   */
  default CompletionStage<Void> closeAsync() {
    close();
    return CompletableFuture.completedFuture(null);
  }
}
