package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.spi.HandOver;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A key's local waiters: who a release or a hand-over wakes. */
class LocalWaitersTest {

  private static LocalWaiters subscribed() {
    return new LocalWaiters(local -> CompletableFuture.completedFuture(() -> {}));
  }

  @Test
  void aHandOverWakesTheWaiterItNamesAlone() {
    LocalWaiters waiters = subscribed();
    ParkedWaiter first = new ParkedWaiter("node:1");
    ParkedWaiter second = new ParkedWaiter("node:2");
    waiters.add(first);
    waiters.add(second);
    waiters.handOver(HandOver.toClaim("node:2"));
    assertFalse(first.hasUnusedWakeUp(), "the first in line was not named");
    assertTrue(second.hasUnusedWakeUp());
  }

  @Test
  void aHandOverThatArrivesBeforeItsWaiterJoinedWakesItWhenItJoins() {
    // the grant message can overtake the reply of the ACQUIRE that queued the waiter
    LocalWaiters waiters = subscribed();
    ParkedWaiter other = new ParkedWaiter("node:1");
    waiters.add(other);
    HandOver early = new HandOver("node:7", 42, System.nanoTime() + 1_000_000_000L);
    waiters.handOver(early);
    ParkedWaiter late = new ParkedWaiter("node:7");
    waiters.add(late);
    assertTrue(late.hasUnusedWakeUp(), "woken as it joined");
    assertEquals(early, late.takeHandOver(), "and given the hand-over itself");
    assertFalse(other.hasUnusedWakeUp());
    ParkedWaiter again = new ParkedWaiter("node:7");
    waiters.add(again);
    assertFalse(again.hasUnusedWakeUp(), "an early hand-over wakes one waiter once");
  }

  @Test
  void aReleaseWakesTheFirstInLine() {
    LocalWaiters waiters = subscribed();
    ParkedWaiter first = new ParkedWaiter("node:1");
    ParkedWaiter second = new ParkedWaiter("node:2");
    waiters.add(first);
    waiters.add(second);
    waiters.wakeFirst();
    assertTrue(first.hasUnusedWakeUp());
    assertFalse(second.hasUnusedWakeUp());
  }
}
