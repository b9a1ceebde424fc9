package dev.concurrencysafe.spi;

/**
 * The outcome of {@link LockBackend#tryAcquire}: acquired with a fencing token, or held by someone
 * else for {@code remainingMillis} more.
 *
 * <p>Thread-safety: immutable.
 *
 * @param acquired whether the caller now holds the key
 * @param fencingToken the new token when acquired, else 0
 * @param remainingMillis the holder's remaining ttl when refused (0 if unknown), else 0
 */
public record AcquireResult(boolean acquired, long fencingToken, long remainingMillis) {

  public static AcquireResult acquired(long fencingToken) {
    return new AcquireResult(true, fencingToken, 0);
  }

  public static AcquireResult heldFor(long remainingMillis) {
    return new AcquireResult(false, 0, Math.max(0, remainingMillis));
  }
}
