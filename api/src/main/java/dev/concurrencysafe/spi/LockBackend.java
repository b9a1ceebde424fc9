package dev.concurrencysafe.spi;

import java.util.concurrent.CompletionStage;

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

  /** Frees what the backend itself created; never closes a client it was given. */
  @Override
  void close();

  /** A release subscription. Thread-safety: thread-safe; closing twice is harmless. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
