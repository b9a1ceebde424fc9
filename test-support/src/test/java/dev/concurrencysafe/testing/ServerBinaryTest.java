package dev.concurrencysafe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The server choice: what each value of CONCURRENCY_SAFE_REDIS_SERVER selects, and bad values. */
class ServerBinaryTest {

  @Test
  void embeddedIsTheRedis62OfTheJar() {
    ServerBinary embedded = ServerBinary.named(ServerBinary.EMBEDDED, "test");
    assertEquals("Redis", embedded.product());
    assertTrue(embedded.version().startsWith("6.2."), embedded.describe());
    assertEquals(6, embedded.major());
  }

  @Test
  void aNameThatIsNoExecutableIsRefusedWithWhatWasExpected() {
    IllegalStateException bad =
        assertThrows(
            IllegalStateException.class,
            () -> ServerBinary.named("no-such-redis-server", "environment variable X"));
    assertTrue(
        bad.getMessage().contains("environment variable X names 'no-such-redis-server'"),
        bad.getMessage());
    assertTrue(bad.getMessage().contains("valkey-server"), bad.getMessage());
  }

  @Test
  void anExecutableThatIsNoRedisIsRefused() {
    IllegalStateException bad =
        assertThrows(IllegalStateException.class, () -> ServerBinary.named("/bin/echo", "test"));
    assertTrue(bad.getMessage().contains("is not a Redis or Valkey server"), bad.getMessage());
  }
}
