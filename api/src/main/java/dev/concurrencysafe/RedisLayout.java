package dev.concurrencysafe;

/**
 * The names concurrency-safe uses in Redis, for ACLs, monitoring and tools that watch the store
 * (see docs/design.md for the whole layout). A lock on key {@code K} (the manager's key prefix +
 * the spec's key) is the Redis key {@code {K}}, its fencing counter {@code {K}:fence}, and every
 * release is published on {@link #releaseChannel(String)} with {@code {K}} as the message.
 *
 * <p>For example, an ACL user for managers with key prefix {@code app:} needs the key pattern
 * <code>~&#123;app:*</code> and the channel {@code "&" + releaseChannel("app:")}, i.e. {@code
 * &app:concurrency-safe:released} (docs/reliability.md has the whole ACL line).
 *
 * <p>Thread-safety: stateless; thread-safe.
 */
public final class RedisLayout {

  /** The release channel of managers without a key prefix. */
  public static final String RELEASE_CHANNEL = "concurrency-safe:released";

  private RedisLayout() {}

  /**
   * The pub/sub channel on which a manager with this key prefix publishes releases: {@code
   * keyPrefix + "concurrency-safe:released"}, so an ACL keeps tenants' channels apart as it keeps
   * their keys.
   */
  public static String releaseChannel(String keyPrefix) {
    return keyPrefix + RELEASE_CHANNEL;
  }

  /**
   * The Redis key holding the lock of {@code storeKey} (the key prefix + the spec's key), which is
   * also the message published on release: {@code "{" + storeKey + "}"}.
   */
  public static String lockName(String storeKey) {
    return "{" + storeKey + "}";
  }
}
