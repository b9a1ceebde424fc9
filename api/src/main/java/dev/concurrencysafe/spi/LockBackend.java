package dev.concurrencysafe.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A lock store. Every operation is atomic on the store's side and completes its stage exceptionally
 * when the store is unreachable; the engine bounds how long it waits.
 *
 * <p>{@code key} is the full logical key (manager prefix + key); {@code owner} is unique per
 * acquisition. Only the current owner may renew or release.
 *
 * <p>Thread-safety: implementations must be thread-safe.
 */
public interface LockBackend extends AutoCloseable {

  /**
   * Takes the key for {@code owner} for {@code ttlMillis} if nobody holds it. On success the result
   * carries a fencing token strictly greater than any earlier one for this key; otherwise the
   * holder's remaining ttl.
   */
  CompletionStage<AcquireResult> tryAcquire(String key, String owner, long ttlMillis);

  /** Sets the key's expiry to {@code ttlMillis} if {@code owner} still holds it; false if lost. */
  CompletionStage<Boolean> renew(String key, String owner, long ttlMillis);

  /**
   * If {@code owner} still holds the key: deletes it and notifies waiters, or, when {@code
   * keepMillis > 0}, keeps it held for {@code keepMillis} more (a cooldown). False if not owned.
   */
  CompletionStage<Boolean> release(String key, String owner, long keepMillis);

  /**
   * Calls {@code onRelease} (on any thread) whenever the key is released, until the returned
   * subscription is closed. The stage completes once notifications are guaranteed to be delivered
   * for releases that happen afterwards.
   */
  CompletionStage<Subscription> subscribe(String key, Runnable onRelease);

  /** A short check that the store answers. */
  CompletionStage<Void> ping();

  /**
   * A check that the store answers <em>now</em>, without the client's own retries: while the store
   * is known to be unreachable the engine fails calls at once and probes with this, one probe at a
   * time, to see it come back. Default: {@link #ping()}.
   */
  default CompletionStage<Void> probe() {
    return ping();
  }

  /**
   * Whether {@code error}, from one of this backend's stages, means the store could not be reached
   * (no connection, no answer in time), as opposed to an answer refusing the call (an ACL, too few
   * replica acknowledgements, a read-only replica). Only unreachability makes the engine fail fast
   * until a probe succeeds; a refusal fails that call alone. Default: false.
   */
  default boolean isUnreachable(Throwable error) {
    return false;
  }

  /**
   * Whether this backend queues waiters in the store and hands a released key straight to the first
   * of them (the grant-on-release protocol, docs/fleet-protocol.md). When true, the engine waits
   * with {@link #tryAcquire(String, String, long, long)}, {@link #subscribeHandOvers} and {@link
   * #leaveQueue} instead of {@link #subscribe}. Default: false (the five operations above are all a
   * backend needs).
   */
  default boolean handsOver() {
    return false;
  }

  /**
   * Only when {@link #handsOver()}: takes the key for {@code owner} as {@link #tryAcquire(String,
   * String, long)} does, and when it is held and {@code queueMillis > 0}, queues {@code owner} in
   * the store for at most {@code queueMillis} (a waiter already queued keeps its place; {@code
   * queueMillis <= 0} takes the key only if it is the caller's turn and otherwise leaves the
   * queue). A key handed to a queued {@code owner} is returned as acquired by its next call. A
   * refusal's {@code remainingMillis} is, for a queued caller, the time within which it must call
   * again to stay queued.
   */
  default CompletionStage<AcquireResult> tryAcquire(
      String key, String owner, long ttlMillis, long queueMillis) {
    return tryAcquire(key, owner, ttlMillis);
  }

  /**
   * Only when {@link #handsOver()}: calls {@code handedTo} (on any thread, never blocking) with
   * each hand-over of the key to an owner this backend queued, until the subscription is closed.
   * The stage completes once hand-overs that happen afterwards are guaranteed to be delivered. A
   * {@link HandOver#confirmed() confirmed} hand-over lets the waiter start without another call.
   */
  default CompletionStage<Subscription> subscribeHandOvers(
      String key, Consumer<HandOver> handedTo) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(
            getClass().getName() + " does not hand keys over (handsOver() is false)"));
  }

  /**
   * Only when {@link #handsOver()}: whether a hand-over to an owner queued by {@link
   * #tryAcquire(String, String, long, long)} always reaches a subscription of its key, even one
   * made after the hand-over (the backend listens before it queues the owner, and keeps a hand-over
   * that finds no subscription until one is made). Then a waiter that subscribes after it was
   * queued waits at once instead of asking again. Default: false.
   */
  default boolean keepsHandOvers() {
    return false;
  }

  /**
   * Only when {@link #handsOver()}: {@code owner} stopped waiting (timeout, cancellation, failure):
   * removes it from the queue; a key handed to it meanwhile goes to the next waiter. Default: done.
   */
  default CompletionStage<Void> leaveQueue(String key, String owner) {
    return CompletableFuture.completedFuture(null);
  }

  /** Frees what the backend itself created; never closes a client it was given. */
  @Override
  void close();

  /** A release subscription. Thread-safety: thread-safe; closing twice is harmless. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
