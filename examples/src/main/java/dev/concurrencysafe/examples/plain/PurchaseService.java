package dev.concurrencysafe.examples.plain;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.Locks;
import java.time.Duration;

/**
 * The ticket purchase example with an explicit lease: try-with-resources {@code acquire()} instead
 * of a lambda, waiting up to two seconds for a concurrent purchase of the same ticket by the same
 * user, and passing the lease's fencing token to the store it protects.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class PurchaseService {

  /** How long a purchase waits for a concurrent one of the same (user, ticket). */
  public static final Duration WAIT = Duration.ofSeconds(2);

  private final FencedStore orders;

  public PurchaseService(FencedStore orders) {
    this.orders = orders;
  }

  /**
   * Records a purchase of {@code ticketId} by {@code userId}.
   *
   * @return the fencing token the purchase was written with
   * @throws dev.concurrencysafe.ConcurrencyException if another purchase of the same pair held the
   *     lock for longer than {@link #WAIT}
   * @throws IllegalStateException if the store rejected the write as stale (the lease was lost)
   */
  public long purchase(String userId, String ticketId) {
    try (Lease lease =
        Locks.with(CacheKey.PURCHASE, userId, ticketId).waitTimeout(WAIT).acquire()) {
      long token = lease.fencingToken();
      if (!orders.write(userId + "/" + ticketId, token, "purchased with token " + token)) {
        throw new IllegalStateException(
            "stale purchase of "
                + ticketId
                + " by "
                + userId
                + ": token "
                + token
                + " is older than the store's");
      }
      return token;
    }
  }
}
