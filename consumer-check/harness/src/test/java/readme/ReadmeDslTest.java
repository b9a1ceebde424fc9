package readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.test.RealRedisExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/** The README's DSL block, run as printed on a real Redis. */
@ExtendWith(RealRedisExtension.class)
class ReadmeDslTest {

  @Test
  void theBlockRunsEachBodyOnceAndTheCooldownRefusesASecondRefresh(RedissonClient client) {
    ReadmeDsl readme = new ReadmeDsl();
    readme.run(client, "u1", "t1");
    assertEquals(List.of("purchase u1 t1", "refresh u1", "cleanup"), readme.calls);

    ConcurrencyException refused = assertThrows(ConcurrencyException.class,
        () -> readme.run(client, "u1", "t1"), "the refresh is in its 10-minute cooldown");
    assertEquals("Please try again in a moment.", refused.getMessage());
    assertEquals(List.of("purchase u1 t1", "refresh u1", "cleanup", "purchase u1 t1"), readme.calls);
  }

  @Test
  void aDuplicatePurchaseIsRefusedAndTryRunSkipsAHeldJob(RedissonClient client, LockManager other) {
    ReadmeDsl readme = new ReadmeDsl();
    try (Lease held = other.with("lock:purchase:u2:t2").acquire()) {
      assertThrows(ConcurrencyException.class, () -> readme.run(client, "u2", "t2"));
    }
    try (Lease held = other.with("job:cleanup").acquire()) {
      readme.run(client, "u3", "t3");
    }
    assertEquals(List.of("purchase u3 t3", "refresh u3"), readme.calls, "cleanup skipped");
  }
}
