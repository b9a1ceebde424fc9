package dev.concurrencysafe.examples.plain;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.LockKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

  /** A catalog with the mistakes startup validation exists to catch. */
  enum BrokenCatalog implements LockKey {
    FIRST("lock:reward:{userId}", Duration.ofSeconds(3)),
    SAME_PATTERN_AGAIN("lock:reward:{userId}", Duration.ofSeconds(3)),
    UNCLOSED("lock:purchase:{userId", Duration.ofSeconds(3));

    private final String pattern;
    private final Duration ttl;

    BrokenCatalog(String pattern, Duration ttl) {
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

  @Test
  void theExampleCatalogIsValid() {
    assertDoesNotThrow(() -> LockKey.validateCatalog(CacheKey.class));
  }

  @Test
  void aBrokenCatalogFailsAtStartupNamingEveryProblem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LockKey.validateCatalog(BrokenCatalog.class));
    assertTrue(e.getMessage().contains("SAME_PATTERN_AGAIN"), e.getMessage());
    assertTrue(e.getMessage().contains("UNCLOSED"), e.getMessage());
  }

  @Test
  void keysAreFormattedFromThePatternWithEscapedArguments() {
    assertEquals("lock:mission:reward:42:7", CacheKey.MISSION_USER_GIVE_REWARD_LOCK.format(42, 7));
    // The naive helper's string formatting gave both of these "lock:purchase:1:2:3".
    assertNotEquals(CacheKey.PURCHASE.format("1:2", "3"), CacheKey.PURCHASE.format("1", "2:3"));
  }
}
