package dev.concurrencysafe.internal;

import dev.concurrencysafe.spi.HandOver;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A thread of a blocking verb waiting for a key: parks until woken or a timeout.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ParkedWaiter implements LocalWaiters.Waiter {

  private final Semaphore wakeUps = new Semaphore(0);
  private final String owner;
  private final AtomicReference<@Nullable HandOver> handOver = new AtomicReference<>();

  ParkedWaiter(String owner) {
    this.owner = owner;
  }

  @Override
  public String owner() {
    return owner;
  }

  @Override
  public void wake() {
    wakeUps.release();
  }

  @Override
  public void handedOver(HandOver handOver) {
    this.handOver.set(handOver);
    wake();
  }

  /** The hand-over that came since the last attempt, if any (taken: a second call gets null). */
  @Nullable HandOver takeHandOver() {
    return handOver.getAndSet(null);
  }

  @Override
  public boolean hasUnusedWakeUp() {
    return wakeUps.availablePermits() > 0;
  }

  /** Its thread tries once more at once rather than at the holder's ttl. */
  @Override
  public void managerClosed() {
    wake();
  }

  /** Forgets wake-ups from before the attempt about to be made (which claims any hand-over). */
  void forgetWakeUps() {
    wakeUps.drainPermits();
    handOver.set(null);
  }

  /** Parks until a wake-up or {@code nanos} passed. */
  void park(long nanos) throws InterruptedException {
    wakeUps.tryAcquire(nanos, TimeUnit.NANOSECONDS);
  }
}
