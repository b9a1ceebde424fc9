package dev.concurrencysafe.internal;

import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.HandOver;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One acquisition attempt's answer and, when it took the key, until when the key is certainly held
 * ({@link System#nanoTime()}): for an ACQUIRE its send time plus the ttl ({@link StoreGateway}),
 * for a hand-over the instant its backend proved ({@link #handedOver}).
 *
 * <p>Thread-safety: immutable.
 */
record Attempt(AcquireResult result, long heldUntilNanos) {

  /**
   * The least time a confirmed hand-over must have left to be used without a store call: the lease
   * renews it at half of that (never past its expiry), so a RENEW has at least this half to come
   * back. A hand-over with less left is claimed with an ACQUIRE instead (one round trip).
   */
  static final long HAND_OVER_MIN_LEFT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /**
   * The key a hand-over gave its waiter, without a store call, or null when it must be claimed with
   * an ACQUIRE: not confirmed by the backend, or too little of it left to renew it in time. Decided
   * right before the lease is made from it.
   */
  static @Nullable Attempt handedOver(@Nullable HandOver handOver) {
    if (handOver == null
        || !handOver.confirmed()
        || handOver.heldUntilNanos() - System.nanoTime() < HAND_OVER_MIN_LEFT_NANOS) {
      return null;
    }
    return new Attempt(AcquireResult.acquired(handOver.fencingToken()), handOver.heldUntilNanos());
  }
}
