package dev.concurrencysafe.spi;

import java.util.Objects;

/**
 * A release handed a key to a queued owner ({@link LockBackend#subscribeHandOvers}).
 *
 * <p>A <em>confirmed</em> hand-over lets the waiter start at once, without another store call: the
 * backend proves that the key is held for {@code owner} until {@code heldUntilNanos} (a {@link
 * System#nanoTime()} instant of this JVM), and the holder extends it with {@link LockBackend#renew}
 * before then. An unconfirmed one ({@link #toClaim}) only wakes the waiter, whose next {@link
 * LockBackend#tryAcquire(String, String, long, long)} claims the key.
 *
 * <p>Thread-safety: immutable.
 *
 * @param owner the owner token the key was handed to
 * @param fencingToken the fencing token issued with the hand-over when confirmed, else 0
 * @param heldUntilNanos when confirmed: a {@code System.nanoTime()} instant before which the key is
 *     certainly held for {@code owner}; else 0
 */
public record HandOver(String owner, long fencingToken, long heldUntilNanos) {

  public HandOver {
    Objects.requireNonNull(owner, "owner");
    if (fencingToken < 0) {
      throw new IllegalArgumentException(
          "fencingToken must be > 0 (confirmed) or 0 (to claim), got " + fencingToken);
    }
  }

  /** A hand-over the waiter must claim with its next acquire call. */
  public static HandOver toClaim(String owner) {
    return new HandOver(owner, 0, 0);
  }

  /** Whether the key may be used until {@link #heldUntilNanos()} without another store call. */
  public boolean confirmed() {
    return fencingToken > 0;
  }
}
