package dev.concurrencysafe.internal;

import dev.concurrencysafe.spi.HandOver;
import dev.concurrencysafe.spi.LockBackend;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The callers of one manager waiting for one key, in arrival order, sharing one release
 * subscription: parked threads and asynchronous acquisitions alike. A release wakes only the first
 * of them: waking all would send one acquire attempt per waiter per release, all but one refused,
 * queued ahead of the winner's reply. A woken waiter that leaves without using its wake-up passes
 * it on, so no release is lost locally; a waiter that is never woken still re-checks when the
 * holder's ttl runs out.
 *
 * <p>Thread-safety: thread-safe (synchronized). {@link Waiter#wake()} is called while this object's
 * lock is held (often inside the engine's map lock too), so a waiter must only record the wake-up
 * there: never call back into the queue or the engine.
 */
final class LocalWaiters {

  /** One waiting caller. */
  interface Waiter {
    /** The owner token its attempts use: a hand-over names it. */
    String owner();

    /** A release happened: try again. Called on the backend's notification thread. */
    void wake();

    /**
     * The key was handed to this waiter: use it if {@link Attempt#handedOver} allows, else try
     * again (the attempt claims it). Called on the backend's notification thread.
     */
    void handedOver(HandOver handOver);

    /** Whether a wake-up arrived that no attempt has used yet. */
    boolean hasUnusedWakeUp();

    /**
     * The manager shut down: its timers are gone and no notification will come. Called without the
     * queue's lock; the waiter may leave the queue from here.
     */
    void managerClosed();
  }

  /**
   * Hand-overs that named an owner not in the queue yet: its ACQUIRE's reply is still on the way.
   */
  private static final int EARLY_GRANTS_KEPT = 16;

  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private final Map<String, HandOver> earlyGrants = new LinkedHashMap<>();
  private final Function<LocalWaiters, CompletionStage<LockBackend.Subscription>> subscribe;
  private CompletionStage<LockBackend.Subscription> subscription;

  /**
   * @param subscribe makes the key's subscription, which calls {@link #wakeFirst} on a release or
   *     {@link #handOver} on a hand-over
   */
  LocalWaiters(Function<LocalWaiters, CompletionStage<LockBackend.Subscription>> subscribe) {
    this.subscribe = subscribe;
    this.subscription = subscribe.apply(this);
  }

  /** The release subscription, made again if the last attempt failed (e.g. during an outage). */
  synchronized CompletionStage<LockBackend.Subscription> subscription() {
    if (subscription.toCompletableFuture().isCompletedExceptionally()) {
      subscription = subscribe.apply(this);
    }
    return subscription;
  }

  synchronized void add(Waiter waiter) {
    queue.addLast(waiter);
    HandOver early = earlyGrants.isEmpty() ? null : earlyGrants.remove(waiter.owner());
    if (early != null) {
      waiter.handedOver(early);
    }
  }

  /** Whether the subscription is in place: a hand-over or release from now on is delivered. */
  synchronized boolean listening() {
    CompletableFuture<LockBackend.Subscription> current = subscription.toCompletableFuture();
    return current.isDone() && !current.isCompletedExceptionally();
  }

  /** Removes the waiter; when none is left, closes the subscription and returns true. */
  synchronized boolean remove(Waiter waiter) {
    boolean wasFirst = queue.peekFirst() == waiter;
    queue.remove(waiter);
    if (wasFirst && waiter.hasUnusedWakeUp()) {
      wakeFirst();
    }
    if (!queue.isEmpty()) {
      return false;
    }
    subscription.thenAccept(LockBackend.Subscription::close);
    return true;
  }

  /**
   * Tells every waiter that the manager shut down, outside this queue's lock: a waiter leaving from
   * there takes the engine's map lock, which a joining caller holds while it waits for this one.
   */
  void managerClosed() {
    Waiter[] waiters;
    synchronized (this) {
      waiters = queue.toArray(Waiter[]::new);
    }
    for (Waiter waiter : waiters) {
      waiter.managerClosed();
    }
  }

  synchronized int size() {
    return queue.size();
  }

  /**
   * Called by the backend when a release handed the key to a queued owner: tells that waiter alone
   * (one that left meanwhile has already given the key on).
   */
  synchronized void handOver(HandOver handOver) {
    for (Waiter waiter : queue) {
      if (waiter.owner().equals(handOver.owner())) {
        waiter.handedOver(handOver);
        return;
      }
    }
    // the waiter's reply may still be on the way: it takes the hand-over when it joins (a grant for
    // an owner that already left was passed on by its leaving; the oldest of those are dropped)
    earlyGrants.put(handOver.owner(), handOver);
    if (earlyGrants.size() > EARLY_GRANTS_KEPT) {
      earlyGrants.remove(earlyGrants.keySet().iterator().next());
    }
  }

  /** Called by the backend on every release of the key. */
  synchronized void wakeFirst() {
    Waiter first = queue.peekFirst();
    if (first != null) {
      first.wake();
    }
  }
}
