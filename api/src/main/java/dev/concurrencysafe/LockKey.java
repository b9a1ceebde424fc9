package dev.concurrencysafe;

import dev.concurrencysafe.internal.KeyPattern;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A named lock key: a pattern with {@code {placeholders}} and a ttl. Implement it with an enum to
 * keep every lock of an application in one catalog:
 *
 * <pre>{@code
 * enum CacheKey implements LockKey {
 *   PURCHASE("lock:purchase:{userId}:{ticketId}", Duration.ofSeconds(3)),
 *   REFRESH("lock:refresh:{userId}", Duration.ofMinutes(10));
 *   ...
 * }
 * Locks.with(CacheKey.PURCHASE, userId, ticketId).run(() -> ...);
 * }</pre>
 *
 * <p>Patterns: literal text and placeholders {@code {name}} (letters, digits, {@code _} and {@code
 * .}); no other braces; two placeholders must be separated by a literal containing a character such
 * as {@code :}. Arguments are escaped (URL encoding) so distinct argument tuples never give the
 * same key and no argument can choose a Redis Cluster slot.
 *
 * <p>Thread-safety: implementations must be immutable (enums are); {@link #format} is thread-safe.
 */
public interface LockKey {

  /** The key pattern, for example {@code "lock:purchase:{userId}:{ticketId}"}. */
  String pattern();

  /** The lock's ttl: how long it survives a crashed holder (renewed while the body runs). */
  Duration ttl();

  /**
   * Formats the pattern with positional arguments, one per placeholder in order, each escaped.
   *
   * @throws IllegalArgumentException if the count differs from the placeholders, an argument is
   *     null, or the pattern is malformed; the message names the pattern and placeholder
   */
  default String format(@Nullable Object... args) {
    return KeyPattern.parse(pattern()).format(args);
  }

  /**
   * The placeholder names of {@link #pattern()}, in order (what {@link #format} fills), for
   * integrations that bind arguments by name.
   *
   * @throws IllegalArgumentException if the pattern is malformed
   */
  default java.util.List<String> placeholders() {
    return KeyPattern.parse(pattern()).placeholders();
  }

  /**
   * Checks a whole catalog at startup: every pattern well formed, no two constants with the same
   * pattern, every ttl &gt; 0.
   *
   * @throws IllegalArgumentException listing every problem found
   */
  static <E extends Enum<E> & LockKey> void validateCatalog(Class<E> catalog) {
    KeyPattern.validateCatalog(catalog);
  }
}
