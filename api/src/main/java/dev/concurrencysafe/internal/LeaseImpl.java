package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.integration.Redaction;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A held lock: renews itself every ttl/3 until closed, and releases (or starts the cooldown) on
 * close, only if it still owns the key.
 *
 * <p>Renewal replies are handled on the engine's renewal thread, never on the Redis client's I/O
 * threads, so listeners and logging cannot stall the client.
 *
 * <p>Thread-safety: thread-safe; may be closed from any thread.
 */
final class LeaseImpl implements Lease {

  /**
   * What every lease of a manager uses: the renewal scheduler, the store, the line for failed
   * releases and the registry of open leases.
   */
  record Parts(
      ScheduledExecutorService scheduler,
      StoreGateway store,
      RepeatedLines releaseFailureLines,
      LeaseRegistry registry) {}

  private final Parts parts;
  private final LockConfig config;
  private final String owner;
  private final long fencingToken;
  private final long acquiredAtNanos;
  private final long ttlNanos;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean lost = new AtomicBoolean();
  private volatile long confirmedExpiryNanos;

  /** Only touched on the renewal thread. */
  private boolean renewalFailing;

  private volatile @Nullable ScheduledFuture<?> nextRenewal;

  private LeaseImpl(
      Parts parts, LockConfig config, String owner, long fencingToken, long heldUntilNanos) {
    this.parts = parts;
    this.config = config;
    this.owner = owner;
    this.fencingToken = fencingToken;
    this.acquiredAtNanos = System.nanoTime();
    this.ttlNanos = config.ttl().toNanos();
    this.confirmedExpiryNanos = heldUntilNanos;
    config.trace().leaseOpened();
  }

  /**
   * How an acquisition ends when the store granted the key: the lease, renewing, registered and
   * reported (ACQUIRED); released again at once if the manager was closed meanwhile.
   */
  static LeaseImpl grant(
      Parts parts, LockConfig config, String owner, Attempt attempt, long started) {
    LeaseImpl lease =
        new LeaseImpl(
            parts, config, owner, attempt.result().fencingToken(), attempt.heldUntilNanos());
    boolean managerOpen = parts.registry().opened(lease);
    lease.scheduleRenewal();
    if (!managerOpen) {
      lease.closeAsync();
      throw new IllegalStateException(
          "LockManager was closed while acquiring key '"
              + config.key()
              + "': the lock is being released again");
    }
    lease.report(LockEvent.Type.ACQUIRED, System.nanoTime() - started, null);
    return lease;
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
    return !closed.get() && !lost.get() && System.nanoTime() - confirmedExpiryNanos < 0;
  }

  boolean isClosed() {
    return closed.get();
  }

  /** The next renewal at ttl/3. */
  private void scheduleRenewal() {
    scheduleRenewalWithin(ttlNanos / 3);
  }

  /**
   * The next renewal after {@code most}, and within half the time the key is still confirmed for: a
   * key handed over is held for less than the ttl, and a renewal retried after a failure must come
   * back before the expiry.
   */
  private void scheduleRenewalWithin(long most) {
    long halfLeft = (confirmedExpiryNanos - System.nanoTime()) / 2;
    scheduleRenewal(Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(most, halfLeft)));
  }

  private void scheduleRenewal(long delayNanos) {
    if (closed.get() || lost.get()) {
      return;
    }
    try {
      nextRenewal = parts.scheduler().schedule(this::renew, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shutDown) {
      // the manager shut down after its last lease closed: nothing left to renew
    }
  }

  private void renew() {
    if (closed.get()) {
      return;
    }
    long sentAt = System.nanoTime();
    long untilExpiry = confirmedExpiryNanos - sentAt;
    if (untilExpiry <= 0) {
      markLost(
          "no renewal succeeded before its last confirmed expiry (a pause, or the store was"
              + " unreachable)");
      return;
    }
    // Never wait past the confirmed expiry: after it the lease is lost, whatever Redis says later.
    parts
        .store()
        .renew(config, owner, untilExpiry)
        .whenCompleteAsync((owned, error) -> renewed(sentAt, owned, error), parts.scheduler());
  }

  /** On the renewal thread: the RENEW's answer. */
  private void renewed(long sentAt, @Nullable Boolean stillOwned, @Nullable Throwable error) {
    if (closed.get()) {
      return;
    }
    if (error != null) {
      // one WARNING per lease and outage; the retries every ttl/10 only at DEBUG
      Level level = renewalFailing ? Level.DEBUG : Level.WARNING;
      renewalFailing = true;
      LockEngine.LOG.log(
          level,
          "[concurrency-safe] could not renew key={0}: {1}; retrying until its last confirmed"
              + " expiry",
          config.key(),
          Redaction.describe(error));
      report(LockEvent.Type.RENEWAL_FAILED, sinceAcquired(), NoAnswer.unwrap(error));
      scheduleRenewalWithin(ttlNanos / 10);
    } else if (Boolean.TRUE.equals(stillOwned)) {
      renewalFailing = false;
      confirmedExpiryNanos = sentAt + ttlNanos;
      scheduleRenewal();
    } else {
      markLost("the key expired or was taken by another owner");
    }
  }

  private void markLost(String why) {
    if (lost.compareAndSet(false, true)) {
      LockEngine.LOG.log(
          Level.ERROR,
          "[concurrency-safe] lease lost: key={0} token={1}: {2}; the"
              + " body keeps running but is no longer exclusive",
          config.key(),
          Long.toString(fencingToken),
          why);
      report(LockEvent.Type.LEASE_LOST, sinceAcquired(), null);
    }
  }

  /**
   * Waits for the release round trip (bounded by the unavailable timeout), so a retry right after
   * sees the key free.
   */
  @Override
  public void close() {
    long keepMillis = beginClose();
    if (keepMillis == ALREADY_CLOSED) {
      return;
    }
    if (parts.store().knownDown()) {
      // the release is still sent (the store may be back already), but the body's thread is not
      // held for the bound: the key expires by itself within its ttl if the release never arrives
      releaseInBackground(keepMillis);
      return;
    }
    // get(timeout) rather than closeAsync().get(): orTimeout would schedule (and cancel) a task on
    // the JDK's delay thread for every release, which measurably slows the common path.
    try {
      boolean owned =
          parts.store().awaitRelease(parts.store().release(config, owner, keepMillis), config);
      released(keepMillis, owned, null);
    } catch (LockUnavailableException e) {
      released(keepMillis, false, e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LockEngine.LOG.log(
          Level.WARNING,
          "[concurrency-safe] interrupted while waiting for the"
              + " release of key={0}; it is still being released",
          config.key());
      forget();
    }
  }

  /**
   * Releases without blocking the calling thread (which may be a Redis client's event loop); the
   * stage completes, never exceptionally, once the store answered or the unavailable timeout
   * passed.
   */
  @Override
  public CompletableFuture<Void> closeAsync() {
    long keepMillis = beginClose();
    if (keepMillis == ALREADY_CLOSED) {
      return CompletableFuture.completedFuture(null);
    }
    return releaseInBackground(keepMillis);
  }

  private CompletableFuture<Void> releaseInBackground(long keepMillis) {
    return parts
        .store()
        .releaseInBackground(config, owner, keepMillis)
        .handle(
            (owned, error) -> {
              released(
                  keepMillis,
                  Boolean.TRUE.equals(owned),
                  error == null ? null : NoAnswer.unwrap(error));
              return null;
            });
  }

  private static final long ALREADY_CLOSED = Long.MIN_VALUE;

  /** Stops renewing and reports RELEASED; returns the cooldown left in ms, or ALREADY_CLOSED. */
  private long beginClose() {
    if (!closed.compareAndSet(false, true)) {
      return ALREADY_CLOSED;
    }
    ScheduledFuture<?> renewal = nextRenewal;
    if (renewal != null) {
      renewal.cancel(false);
    }
    long heldNanos = System.nanoTime() - acquiredAtNanos;
    report(LockEvent.Type.RELEASED, heldNanos, null);
    return config.cooldown().toMillis() - TimeUnit.NANOSECONDS.toMillis(heldNanos);
  }

  private void released(long keepMillis, boolean owned, @Nullable Throwable error) {
    if (error != null) {
      parts
          .releaseFailureLines()
          .log(
              Level.WARNING,
              config.keyName(),
              "[concurrency-safe] could"
                  + " not release key={0} ({1}); it expires by itself within its ttl",
              config.key(),
              Redaction.describe(error));
    } else if (owned) {
      if (keepMillis > 0) {
        report(LockEvent.Type.COOLDOWN_STARTED, TimeUnit.MILLISECONDS.toNanos(keepMillis), null);
      }
    } else if (!lost.get()) {
      LockEngine.LOG.log(
          Level.WARNING,
          "[concurrency-safe] key={0} was no longer held at release"
              + " (expired or taken): nothing was released",
          config.key());
    }
    forget();
  }

  private void report(LockEvent.Type type, long nanos, @Nullable Throwable error) {
    config.trace().publish(type, fencingToken, nanos, error);
  }

  private long sinceAcquired() {
    return System.nanoTime() - acquiredAtNanos;
  }

  private void forget() {
    parts.registry().closed(this);
    config.trace().leaseClosed();
  }

  @Override
  public String toString() {
    return "Lease[key=" + config.key() + ", token=" + fencingToken + ", valid=" + isValid() + "]";
  }
}
