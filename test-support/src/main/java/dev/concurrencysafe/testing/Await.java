package dev.concurrencysafe.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition, never for a fixed time: polls every millisecond and fails with an {@link
 * AssertionError} naming what did not happen if it does not hold within the timeout.
 *
 * <p>Thread-safety: stateless.
 */
public final class Await {

  private Await() {}

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
