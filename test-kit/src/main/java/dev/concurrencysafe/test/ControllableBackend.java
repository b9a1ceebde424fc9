package dev.concurrencysafe.test;

import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.LockBackend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Wraps a real backend so a test can make renewals hang (as in a long pause or a partition) or
 * report the key lost, and shares one store between several engines without closing it.
 *
 * <p>Thread-safety: thread-safe (volatile switches, atomic counters); delegates to a thread-safe
 * backend.
 */
final class ControllableBackend implements LockBackend {

  enum Renewals {
    NORMAL,
    HANG,
    LOST
  }

  private final LockBackend delegate;
  volatile Renewals renewals = Renewals.NORMAL;

  /** When set, subscriptions are accepted but never notified: a lost release notification. */
  volatile boolean dropNotifications;

  final java.util.concurrent.atomic.AtomicInteger acquireAttempts =
      new java.util.concurrent.atomic.AtomicInteger();

  ControllableBackend(LockBackend delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletionStage<AcquireResult> tryAcquire(String key, String owner, long ttlMillis) {
    acquireAttempts.incrementAndGet();
    return delegate.tryAcquire(key, owner, ttlMillis);
  }

  @Override
  public CompletionStage<Boolean> renew(String key, String owner, long ttlMillis) {
    return switch (renewals) {
      case NORMAL -> delegate.renew(key, owner, ttlMillis);
      case HANG -> new CompletableFuture<>();
      case LOST -> CompletableFuture.completedFuture(false);
    };
  }

  @Override
  public CompletionStage<Boolean> release(String key, String owner, long keepMillis) {
    return delegate.release(key, owner, keepMillis);
  }

  @Override
  public CompletionStage<Subscription> subscribe(String key, Runnable onRelease) {
    if (dropNotifications) {
      return CompletableFuture.completedFuture(() -> {});
    }
    return delegate.subscribe(key, onRelease);
  }

  @Override
  public boolean handsOver() {
    return delegate.handsOver();
  }

  @Override
  public boolean keepsHandOvers() {
    return delegate.keepsHandOvers();
  }

  @Override
  public CompletionStage<AcquireResult> tryAcquire(
      String key, String owner, long ttlMillis, long queueMillis) {
    acquireAttempts.incrementAndGet();
    return delegate.tryAcquire(key, owner, ttlMillis, queueMillis);
  }

  @Override
  public CompletionStage<Subscription> subscribeHandOvers(
      String key, java.util.function.Consumer<dev.concurrencysafe.spi.HandOver> handedTo) {
    if (dropNotifications) {
      return CompletableFuture.completedFuture(() -> {});
    }
    return delegate.subscribeHandOvers(key, handedTo);
  }

  @Override
  public CompletionStage<Void> leaveQueue(String key, String owner) {
    return delegate.leaveQueue(key, owner);
  }

  @Override
  public CompletionStage<Void> ping() {
    return delegate.ping();
  }

  /** Probes started, and the most that were ever in flight at once (a detector of overlap). */
  final java.util.concurrent.atomic.AtomicInteger probes =
      new java.util.concurrent.atomic.AtomicInteger();

  final java.util.concurrent.atomic.AtomicInteger maxProbesInFlight =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger probesInFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public CompletionStage<Void> probe() {
    probes.incrementAndGet();
    maxProbesInFlight.accumulateAndGet(probesInFlight.incrementAndGet(), Math::max);
    return delegate.probe().whenComplete((ok, error) -> probesInFlight.decrementAndGet());
  }

  @Override
  public boolean isUnreachable(Throwable error) {
    return delegate.isUnreachable(error);
  }

  @Override
  public void close() {
    // shared: the test closes the real backend
  }
}
