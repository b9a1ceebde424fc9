package dev.concurrencysafe.internal;

import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.LockBackend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A backend confined to one JVM, with the Redis backend's semantics: expiring entries owned by a
 * token, cooldown by shortening the expiry, release notifications, and fencing tokens from one
 * JVM-wide counter (strictly increasing for every key). Expired entries are swept as operations go,
 * so a million distinct keys leave nothing behind.
 *
 * <p>Thread-safety: thread-safe; every operation is atomic per key.
 */
public final class InMemoryBackend implements LockBackend {

  private static final int SWEEP_EVERY = 1024;

  private final ConcurrentHashMap<String, Entry> locks = new ConcurrentHashMap<>();
  private final ReleaseListeners<Runnable> subscribers = new ReleaseListeners<>();
  private final AtomicLong lastToken = new AtomicLong(System.currentTimeMillis() * 1000);
  private final AtomicLong operations = new AtomicLong();

  @Override
  public CompletionStage<AcquireResult> tryAcquire(String key, String owner, long ttlMillis) {
    long now = System.nanoTime();
    AcquireResult[] result = new AcquireResult[1];
    locks.compute(
        key,
        (k, current) -> {
          if (current == null || current.expired(now)) {
            long token = lastToken.incrementAndGet();
            result[0] = AcquireResult.acquired(token);
            return new Entry(owner, token, now + TimeUnit.MILLISECONDS.toNanos(ttlMillis));
          }
          if (current.owner().equals(owner)) {
            result[0] =
                AcquireResult.acquired(current.token()); // a resend, as in the Redis backend
            return current;
          }
          result[0] = AcquireResult.heldFor(current.remainingMillis(now));
          return current;
        });
    sweepNow(now);
    return CompletableFuture.completedFuture(result[0]);
  }

  @Override
  public CompletionStage<Boolean> renew(String key, String owner, long ttlMillis) {
    long now = System.nanoTime();
    boolean[] owned = new boolean[1];
    locks.computeIfPresent(
        key,
        (k, current) -> {
          if (current.ownedBy(owner, now)) {
            owned[0] = true;
            return new Entry(
                owner, current.token(), now + TimeUnit.MILLISECONDS.toNanos(ttlMillis));
          }
          return current.expired(now) ? null : current;
        });
    return CompletableFuture.completedFuture(owned[0]);
  }

  @Override
  public CompletionStage<Boolean> release(String key, String owner, long keepMillis) {
    long now = System.nanoTime();
    boolean[] owned = new boolean[1];
    locks.computeIfPresent(
        key,
        (k, current) -> {
          if (!current.ownedBy(owner, now)) {
            return current.expired(now) ? null : current;
          }
          owned[0] = true;
          // a cooldown holds the key under a value no owner has, so a late renewal cannot stretch
          // it
          return keepMillis > 0
              ? new Entry(
                  "cooldown:" + owner,
                  current.token(),
                  now + TimeUnit.MILLISECONDS.toNanos(keepMillis))
              : null;
        });
    if (owned[0] && keepMillis <= 0) {
      subscribers.each(key, Runnable::run);
    }
    return CompletableFuture.completedFuture(owned[0]);
  }

  @Override
  public CompletionStage<Subscription> subscribe(String key, Runnable onRelease) {
    Subscription subscription = subscribers.add(key, onRelease);
    return CompletableFuture.completedFuture(subscription);
  }

  @Override
  public CompletionStage<Void> ping() {
    return CompletableFuture.completedFuture(null);
  }

  /** Entries currently stored, expired or not (for tests of the sweep). */
  int size() {
    return locks.size();
  }

  @Override
  public void close() {
    locks.clear();
    subscribers.clear();
  }

  private void sweepNow(long now) {
    if (operations.incrementAndGet() % SWEEP_EVERY == 0) {
      locks.entrySet().removeIf(e -> e.getValue().expired(now));
    }
  }

  private record Entry(String owner, long token, long expiresAtNanos) {
    boolean expired(long now) {
      return now - expiresAtNanos >= 0;
    }

    boolean ownedBy(@Nullable String candidate, long now) {
      return owner.equals(candidate) && !expired(now);
    }

    long remainingMillis(long now) {
      return TimeUnit.NANOSECONDS.toMillis(expiresAtNanos - now);
    }
  }
}
