package dev.concurrencysafe.examples.plain;

import dev.concurrencysafe.LockKey;
import java.time.Duration;

/**
 * The application's lock catalog, in the usual catalog style: every lock key of the application in
 * one enum, each with its pattern and ttl. Arguments are escaped when formatted, so {@code ("1:2",
 * "3")} and {@code ("1", "2:3")} never give the same key (the naive helper's string formatting
 * did). Validated once at startup by {@link ExampleApplication#start}.
 *
 * <p>Thread-safety: immutable.
 */
public enum CacheKey implements LockKey {

  /** Give a mission reward at most once per (user, reward). */
  MISSION_USER_GIVE_REWARD_LOCK("lock:mission:reward:{userId}:{rewardId}", Duration.ofSeconds(3)),

  /**
   * Refresh a user's interested products at most once per interval. The interval is a {@code
   * cooldown} at the call site ({@link InterestedProductRefresher}); the ttl only bounds how long a
   * crashed refresher blocks the key.
   */
  DODO_REFRESH_INTERESTED_PRODUCT(
      "lock:refresh:interested-product:{userId}", Duration.ofSeconds(30)),

  /** One purchase of a ticket per user at a time. */
  PURCHASE("lock:purchase:{userId}:{ticketId}", Duration.ofSeconds(3)),

  /** Limited stock of a coupon, claimed one at a time by any user (the Kotlin example). */
  COUPON_STOCK("lock:coupon-stock:{couponId}", Duration.ofSeconds(3));

  private final String pattern;
  private final Duration ttl;

  CacheKey(String pattern, Duration ttl) {
    this.pattern = pattern;
    this.ttl = ttl;
  }

  @Override
  public String pattern() {
    return pattern;
  }

  @Override
  public Duration ttl() {
    return ttl;
  }
}
