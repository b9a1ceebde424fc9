package dev.concurrencysafe;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;

/**
 * Creates lock specs over one lock store. Create one per application (it holds a renewal thread)
 * and close it at shutdown; {@link Locks} is a static facade over a default one.
 *
 * <p>Thread-safety: thread-safe.
 */
@CheckReturnValue
public interface LockManager extends AutoCloseable {

  /**
   * A manager over Redis through the given Redisson client, with default settings. Works with any
   * Redisson topology (single, Sentinel, Cluster). The manager does not own the client: closing the
   * manager leaves the client open.
   */
  static LockManager redisson(RedissonClient client) {
    return builder().redisson(client);
  }

  /**
   * A manager confined to this JVM with the same semantics (tokens, cooldown, fencing, waiting):
   * for tests and single-instance applications.
   */
  static LockManager inMemory() {
    return builder().inMemory();
  }

  /** A builder for managers with non-default settings. */
  static LockManagerBuilder builder() {
    return new LockManagerBuilder();
  }

  /**
   * A spec for a literal key such as {@code "lock:refresh:42"}.
   *
   * @throws IllegalArgumentException if the key is blank, longer than 1 KiB in UTF-8, or contains
   *     <code>&#123;</code> or <code>&#125;</code> (use a {@link LockKey} pattern to embed user
   *     input)
   */
  LockSpec with(String key);

  /** A spec for {@code key.format(args)}, with {@code key.ttl()} as its ttl. */
  LockSpec with(LockKey key, @Nullable Object... args);

  /**
   * Refuses new specs. Leases still open keep renewing until their bodies end (releasing them now
   * would let a duplicate in while they run); renewals stop after the last one closes.
   */
  @Override
  void close();
}
