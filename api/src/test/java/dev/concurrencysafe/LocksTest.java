package dev.concurrencysafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocksTest {

  @Test
  void withoutADefaultManagerTheErrorSaysHowToConfigureOne() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Locks.with("k"));
    assertTrue(
        e.getMessage().contains("Locks.setDefault(LockManager.redisson(redissonClient))"),
        e.getMessage());
  }

  @Test
  void theDefaultManagerServesTheStaticFacade() {
    try (LockManager manager = LockManager.inMemory()) {
      Locks.setDefault(manager);
      try {
        assertSame(manager, Locks.getDefault());
        assertEquals("done", Locks.with("k").call(() -> "done"));
        assertEquals(3, Locks.with(KeyFormatTest.CacheKey.PURCHASE, 1, 2).call(() -> 3));
        try (Lease lease = Locks.with(KeyFormatTest.CacheKey.PURCHASE, 1, 2).acquire()) {
          assertEquals("lock:purchase:1:2", lease.key());
        }
      } finally {
        assertTrue(Locks.clearDefault(manager));
        assertFalse(Locks.clearDefault(manager));
      }
    }
  }

  @Test
  void builderArgumentsAreChecked() {
    assertEquals(
        "keyPrefix must be at most 256 bytes without '{' or '}', but was 'a{'",
        assertThrows(IllegalArgumentException.class, () -> LockManager.builder().keyPrefix("a{"))
            .getMessage());
    assertEquals(
        "unavailableTimeout must be > 0, but was PT0S",
        assertThrows(
                IllegalArgumentException.class,
                () -> LockManager.builder().unavailableTimeout(Duration.ZERO))
            .getMessage());
    assertEquals(
        "client must not be null",
        assertThrows(NullPointerException.class, () -> LockManager.builder().redisson(null))
            .getMessage());
    assertEquals(
        "manager must not be null",
        assertThrows(NullPointerException.class, () -> Locks.setDefault(null)).getMessage());
  }
}
