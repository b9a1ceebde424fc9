package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockEvent;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A held lock: renews itself every ttl/3 until closed, and releases (or starts the cooldown) on
 * close, only if it still owns the key.
 *
 * <p>Thread-safety: thread-safe; may be closed from any thread.
 */
final class LeaseImpl implements Lease {

  private final LockEngine engine;
  private final LockConfig config;
  private final String fullKey;
  private final String owner;
  private final long fencingToken;
  private final long acquiredAtNanos;
  private final long ttlNanos;
  private final Map<String, LeaseImpl> heldByOwnerThread;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long confirmedExpiryNanos;
  private volatile boolean lost;
  private volatile @Nullable ScheduledFuture<?> nextRenewal;

  LeaseImpl(LockEngine engine, LockConfig config, String fullKey, String owner, long fencingToken,
      long sentAtNanos, Map<String, LeaseImpl> heldByOwnerThread) {
    this.engine = engine;
    this.config = config;
    this.fullKey = fullKey;
    this.owner = owner;
    this.fencingToken = fencingToken;
    this.acquiredAtNanos = System.nanoTime();
    this.ttlNanos = config.ttl().toNanos();
    this.confirmedExpiryNanos = sentAtNanos + ttlNanos;
    this.heldByOwnerThread = heldByOwnerThread;
  }

  @Override
  public String key() {
    return config.key();
  }

  @Override
  public long fencingToken() {
    return fencingToken;
  }

  @Override
  public boolean isValid() {
    return !closed.get() && !lost && System.nanoTime() - confirmedExpiryNanos < 0;
  }

  /** The acquiring thread stops being the holder (the lease stays open). */
  void detachFromThread() {
    heldByOwnerThread.remove(config.key(), this);
  }

  boolean isClosed() {
    return closed.get();
  }

  void scheduleRenewal() {
    if (closed.get() || lost) {
      return;
    }
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1), ttlNanos / 3);
    try {
      nextRenewal = engine.scheduler().schedule(this::renew, period, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException managerClosed) {
      // the manager is closing and releases every lease itself
    }
  }

  private void renew() {
    if (closed.get()) {
      return;
    }
    long sentAt = System.nanoTime();
    engine.backend().renew(fullKey, owner, config.ttl().toMillis())
        .toCompletableFuture().copy()
        .orTimeout(engine.unavailableTimeout().toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete((stillOwned, error) -> {
          if (closed.get()) {
            return;
          }
          if (error != null) {
            LockEngine.LOG.log(Level.WARNING, "[concurrency-safe] could not renew key={0}: {1};"
                + " retrying, the lease is valid until its last confirmed expiry", config.key(),
                Redaction.describe(error));
            scheduleRenewal();
          } else if (Boolean.TRUE.equals(stillOwned)) {
            engine.storeAvailable();
            confirmedExpiryNanos = sentAt + ttlNanos;
            scheduleRenewal();
          } else {
            lost = true;
            engine.events().publish(LockEvent.Type.LEASE_LOST, config, fencingToken,
                System.nanoTime() - acquiredAtNanos, null);
            LockEngine.LOG.log(Level.ERROR, "[concurrency-safe] lease lost: key={0} token={1} expired"
                + " or was taken by another owner while the body ran; the body is no longer"
                + " exclusive (ttl too short for a pause, or the store lost the key)", config.key(),
                Long.toString(fencingToken));
          }
        });
  }

  @Override
  public void close() {
    try {
      closeAsync().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LockEngine.LOG.log(Level.WARNING, "[concurrency-safe] interrupted while releasing key={0}; it"
          + " expires by itself within its ttl", config.key());
    } catch (ExecutionException e) {
      // closeAsync never completes exceptionally: it logs what went wrong
    }
  }

  /**
   * Releases without blocking the calling thread (which may be a Redis client's event loop); the
   * stage completes, never exceptionally, once the store answered or the unavailable timeout passed.
   */
  CompletableFuture<Void> closeAsync() {
    if (!closed.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    ScheduledFuture<?> renewal = nextRenewal;
    if (renewal != null) {
      renewal.cancel(false);
    }
    detachFromThread();
    engine.forget(this);
    long heldNanos = System.nanoTime() - acquiredAtNanos;
    long keepMillis = config.cooldown().toMillis() - TimeUnit.NANOSECONDS.toMillis(heldNanos);
    engine.events().publish(LockEvent.Type.RELEASED, config, fencingToken, heldNanos, null);
    return engine.backend().release(fullKey, owner, Math.max(0, keepMillis))
        .toCompletableFuture().copy()
        .orTimeout(engine.unavailableTimeout().toNanos(), TimeUnit.NANOSECONDS)
        .handle((owned, error) -> {
          if (error != null) {
            LockEngine.LOG.log(Level.WARNING, "[concurrency-safe] could not release key={0} ({1}); it"
                + " expires by itself within its ttl", config.key(), Redaction.describe(error));
          } else if (owned) {
            engine.storeAvailable();
            if (keepMillis > 0) {
              engine.events().publish(LockEvent.Type.COOLDOWN_STARTED, config, fencingToken,
                  TimeUnit.MILLISECONDS.toNanos(keepMillis), null);
            }
          } else if (!lost) {
            LockEngine.LOG.log(Level.WARNING, "[concurrency-safe] key={0} was no longer held at"
                + " release (expired or taken): nothing was released", config.key());
          }
          return null;
        });
  }

  @Override
  public String toString() {
    return "Lease[key=" + config.key() + ", token=" + fencingToken + ", valid=" + isValid() + "]";
  }
}
