package dev.concurrencysafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyFormatTest {

  enum CacheKey implements LockKey {
    PURCHASE("lock:purchase:{userId}:{ticketId}", Duration.ofSeconds(3)),
    REWARD("lock:mission:reward:{userId}:{rewardId}", Duration.ofSeconds(5));

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

  enum BrokenCatalog implements LockKey {
    GOOD("lock:a:{id}", Duration.ofSeconds(1)),
    SAME_SHAPE("lock:a:{other}", Duration.ofSeconds(1)),
    ADJACENT("lock:{a}{b}", Duration.ofSeconds(1)),
    NO_TTL("lock:c:{id}", Duration.ZERO),
    STRAY_BRACE("lock:{id", Duration.ofSeconds(1));

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
  void placeholdersAreFilledInOrderAndReadableArgumentsStayReadable() {
    assertEquals("lock:purchase:42:7", CacheKey.PURCHASE.format(42, 7));
    assertEquals("lock:purchase:alice:A-1_b.c", CacheKey.PURCHASE.format("alice", "A-1_b.c"));
  }

  @Test
  void theSeedsCollidingTuplesGiveDistinctKeys() {
    String a = CacheKey.PURCHASE.format("1:2", "3");
    String b = CacheKey.PURCHASE.format("1", "2:3");
    assertTrue(!a.equals(b), a + " vs " + b);
  }

  @Test
  void argumentsCannotProduceBracesSoTheyNeverChooseAClusterSlot() {
    String key = CacheKey.PURCHASE.format("{victim}", "}{");
    assertTrue(key.indexOf('{') < 0 && key.indexOf('}') < 0, key);
  }

  @Test
  void badFormatCallsNameThePatternAndPlaceholder() {
    IllegalArgumentException count =
        assertThrows(IllegalArgumentException.class, () -> CacheKey.PURCHASE.format(1));
    assertEquals(
        "pattern 'lock:purchase:{userId}:{ticketId}' has 2 placeholder(s) [userId, ticketId],"
            + " but 1 argument(s) were given",
        count.getMessage());
    IllegalArgumentException nul =
        assertThrows(IllegalArgumentException.class, () -> CacheKey.PURCHASE.format(1, null));
    assertEquals(
        "argument for {ticketId} in pattern 'lock:purchase:{userId}:{ticketId}' must not be"
            + " null",
        nul.getMessage());
    IllegalArgumentException tooLong =
        assertThrows(
            IllegalArgumentException.class,
            () -> CacheKey.PURCHASE.format("x".repeat(600), "y".repeat(600)));
    assertTrue(
        tooLong
            .getMessage()
            .startsWith(
                "key formatted from pattern"
                    + " 'lock:purchase:{userId}:{ticketId}' must be at most 1024 bytes"),
        tooLong.getMessage());
    IllegalArgumentException surrogate =
        assertThrows(IllegalArgumentException.class, () -> CacheKey.PURCHASE.format("\uD800", 1));
    assertTrue(surrogate.getMessage().contains("{userId}"), surrogate.getMessage());
  }

  @Test
  void validateCatalogAcceptsAGoodCatalogAndListsEveryProblemOfABadOne() {
    LockKey.validateCatalog(CacheKey.class);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LockKey.validateCatalog(BrokenCatalog.class));
    String message = e.getMessage();
    assertTrue(message.contains("has 4 problem(s)"), message);
    assertTrue(
        message.contains(
            "BrokenCatalog.SAME_SHAPE: pattern 'lock:a:{other}' gives the same keys"
                + " as BrokenCatalog.GOOD"),
        message);
    assertTrue(
        message.contains("BrokenCatalog.ADJACENT: pattern 'lock:{a}{b}' must separate {a} and {b}"),
        message);
    assertTrue(message.contains("BrokenCatalog.NO_TTL: ttl must be > 0, but was PT0S"), message);
    assertTrue(
        message.contains("BrokenCatalog.STRAY_BRACE: pattern 'lock:{id' has a brace"), message);
  }

  @Test
  void malformedPatternsAreRejectedWhenUsed() {
    LockKey bad =
        new LockKey() {
          @Override
          public String pattern() {
            return "lock:{user id}";
          }

          @Override
          public Duration ttl() {
            return Duration.ofSeconds(1);
          }
        };
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> bad.format("x"));
    assertTrue(e.getMessage().startsWith("pattern 'lock:{user id}' has a brace"), e.getMessage());
  }
}
