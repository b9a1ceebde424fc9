package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.spi.HandOver;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When a waiter takes a hand-over without a store call: only a confirmed one, with enough of its
 * proof left to renew it in time; and how a grant message becomes a hand-over.
 */
class HandOverRuleTest {

  private static long inMillis(long millis) {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void aConfirmedHandOverWithTimeLeftIsTheKeyUntilItsProvenInstant() {
    long until = inMillis(250);
    Attempt attempt = Attempt.handedOver(new HandOver("node:1", 42, until));
    assertNotNull(attempt);
    assertTrue(attempt.result().acquired());
    assertEquals(42, attempt.result().fencingToken());
    assertEquals(until, attempt.heldUntilNanos(), "the lease's confirmed expiry is the proof's");
  }

  @Test
  void aHandOverIsClaimedInsteadWhenUnconfirmedOrNearlyOver() {
    assertNull(Attempt.handedOver(null));
    assertNull(Attempt.handedOver(HandOver.toClaim("node:1")), "not confirmed");
    assertNull(Attempt.handedOver(new HandOver("node:1", 42, inMillis(60))), "60 ms left");
    assertNull(Attempt.handedOver(new HandOver("node:1", 42, inMillis(-5))), "already over");
  }

  @Test
  void aGrantMessageIsConfirmedOnlyWithAMarkOfThisNodeAndWhenTheBackendMayConfirm() {
    long mark = System.nanoTime();
    String message = "node:1 42 1796609337000 300 " + mark;
    HandOver confirmed = GrantChannels.handOverIn(message, true);
    assertEquals(new HandOver("node:1", 42, mark + TimeUnit.MILLISECONDS.toNanos(300)), confirmed);
    assertEquals(HandOver.toClaim("node:1"), GrantChannels.handOverIn(message, false), "replicas");
    assertEquals(
        HandOver.toClaim("node:1"),
        GrantChannels.handOverIn("node:1 42 1796609337000 300 -", true),
        "no mark: the waiter's call did not send one");
    assertEquals(
        HandOver.toClaim("node:1"),
        GrantChannels.handOverIn("node:1 42 1796609337000", true),
        "an older message");
  }

  @Test
  void aNegativeFencingTokenIsRefusedWithTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new HandOver("node:1", -3, 0));
    assertTrue(e.getMessage().contains("-3"), e.getMessage());
  }
}
