package dev.concurrencysafe.internal;

import dev.concurrencysafe.spi.LockBackend;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * The threads of one manager waiting for one key, in arrival order, sharing one release
 * subscription. A release wakes only the first of them: waking all would send one acquire attempt
 * per waiter per release, all but one refused, queued ahead of the winner's reply. A woken waiter
 * that leaves without using its wake-up passes it on, so no release is lost locally; a waiter
 * that is never woken still re-checks when the holder's ttl runs out.
 *
 * <p>Thread-safety: thread-safe (synchronized).
 */
final class LocalWaiters {

  private final ArrayDeque<Semaphore> queue = new ArrayDeque<>();
  private final Function<Runnable, CompletionStage<LockBackend.Subscription>> subscribe;
  private CompletionStage<LockBackend.Subscription> subscription;

  LocalWaiters(Function<Runnable, CompletionStage<LockBackend.Subscription>> subscribe) {
    this.subscribe = subscribe;
    this.subscription = subscribe.apply(this::wakeFirst);
  }

  /** The release subscription, made again if the last attempt failed (e.g. during an outage). */
  synchronized CompletionStage<LockBackend.Subscription> subscription() {
    if (subscription.toCompletableFuture().isCompletedExceptionally()) {
      subscription = subscribe.apply(this::wakeFirst);
    }
    return subscription;
  }

  synchronized void add(Semaphore waiter) {
    queue.addLast(waiter);
  }

  /** Removes the waiter; when none is left, closes the subscription and returns true. */
  synchronized boolean remove(Semaphore waiter) {
    boolean wasFirst = queue.peekFirst() == waiter;
    queue.remove(waiter);
    if (wasFirst && waiter.availablePermits() > 0) {
      wakeFirst();
    }
    if (!queue.isEmpty()) {
      return false;
    }
    subscription.thenAccept(LockBackend.Subscription::close);
    return true;
  }

  /** Called by the backend on every release of the key. */
  synchronized void wakeFirst() {
    Semaphore first = queue.peekFirst();
    if (first != null) {
      first.release();
    }
  }
}
