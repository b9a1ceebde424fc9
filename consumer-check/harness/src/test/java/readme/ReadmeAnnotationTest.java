package readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.test.RealRedisExtension;
import dev.concurrencysafe.testing.RedisServer;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's annotation block on Weld SE, configured by MicroProfile Config (SmallRye Config,
 * reading the Redis address from a system property as any MP Config source would give it).
 */
@ExtendWith(RealRedisExtension.class)
class ReadmeAnnotationTest {

  @Test
  void theAnnotatedMethodRunsAndADuplicateGetsTheDeclaredException(RedisServer server,
      LockManager other) {
    System.setProperty("concurrency-safe.redis.address", server.uri());
    try (WeldContainer container = new Weld().initialize()) {
      TicketOffice office = container.select(TicketOffice.class).get();
      int before = Elided.CALLS.get();
      office.purchase("u1", "t1");
      assertEquals(before + 1, Elided.CALLS.get(), "the method ran");

      try (Lease held = other.with("lock:purchase:u1:t1").acquire()) {
        long started = System.nanoTime();
        PurchaseInProgressException refused = assertThrows(PurchaseInProgressException.class,
            () -> office.purchase("u1", "t1"));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals("Please try again in a moment.", refused.getMessage());
        assertTrue(waitedMillis >= 2000, "waitTimeout = \"2s\": waited " + waitedMillis + " ms");
      }
      assertEquals(before + 1, Elided.CALLS.get(), "the duplicate did not run");
      office.purchase("u1", "t1");
      assertEquals(before + 2, Elided.CALLS.get(), "released: runs again");
    } finally {
      System.clearProperty("concurrency-safe.redis.address");
    }
  }
}
