package dev.concurrencysafe.internal;

import dev.concurrencysafe.RedisLayout;
import java.util.List;

/**
 * The Redis names of the grant protocol ({@link GrantProtocol}) for a logical key {@code K}: every
 * one carries the hash tag {@code {K}} of the lock ({@link RedisLayout#lockName}), so all live in
 * the lock's slot and the slot is chosen by the key alone.
 *
 * <p>Thread-safety: stateless; thread-safe.
 */
final class GrantLayout {

  /** Publish mode {@code s}: the grant is sent with SPUBLISH (Redis 7+, Valkey). */
  static final String SHARDED = "s";

  /** Publish mode {@code p}: the grant is sent with PUBLISH (Redis 6.2). */
  static final String CLASSIC = "p";

  private GrantLayout() {}

  /** KEYS of every grant script: lock, fencing counter, queue, waiters. */
  static List<Object> keys(String key) {
    String lock = RedisLayout.lockName(key);
    return List.of(lock, lock + ":fence", lock + ":queue", lock + ":waiters");
  }

  /**
   * The channel on which grants for waiters of {@code node} (the instance part of their owner
   * tokens) on {@code key} are published: in the lock's slot, so SPUBLISH stays on the key's shard,
   * and per node, so a grant reaches one subscriber whatever the fleet size. The message is {@code
   * "<owner> <fencing token> <server time of the grant, ms>"}.
   *
   * @throws IllegalArgumentException if {@code node} is empty or has a brace (it would change the
   *     channel's hash tag)
   */
  static String grantChannel(String key, String node) {
    if (node.isEmpty() || node.contains("{") || node.contains("}")) {
      throw new IllegalArgumentException(
          "node id must be non-empty and brace-free, got '" + node + "'");
    }
    return RedisLayout.lockName(key) + ":granted:" + node;
  }
}
