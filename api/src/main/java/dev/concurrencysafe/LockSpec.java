package dev.concurrencysafe;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What to lock and how, ending in one of three terminal verbs: {@link #run}, {@link #call} or
 * {@link #acquire}. Obtained from {@link Locks#with(String)} or {@link LockManager#with(String)}.
 *
 * <pre>{@code
 * Locks.with(CacheKey.PURCHASE, userId, ticketId)
 *     .waitTimeout(Duration.ofSeconds(2))
 *     .run(() -> purchase(userId, ticketId));
 * }</pre>
 *
 * <p>Defaults: ttl from the {@link LockKey} or the manager (10 s), no wait (fail fast in one round
 * trip), no cooldown, {@link ConcurrencyException} with "Please try again in a moment." when
 * blocked, logged at {@code WARNING}, fail closed when Redis is unreachable.
 *
 * <p>A spec is an immutable value: each setter returns a <b>new</b> spec and leaves the one it was
 * called on unchanged, so a base spec can be kept in a field and derived from:
 *
 * <pre>{@code
 * private static final LockSpec REFRESH = Locks.with("lock:refresh").ttl(Duration.ofMinutes(1));
 * var patient = REFRESH.waitTimeout(Duration.ofSeconds(5));   // REFRESH still fails fast
 * }</pre>
 *
 * <p>A setter's result must be used: {@code spec.cooldown(d);} on its own changes nothing, and
 * Error Prone flags it ({@link CheckReturnValue}).
 *
 * <p>Thread-safety: immutable and thread-safe; one spec may be shared, derived from and used by
 * any number of threads at once, and its leases used from any thread.
 */
@CheckReturnValue
public interface LockSpec {

  /** The message a refused caller gets unless {@link #blockedMessage} sets another. */
  String DEFAULT_BLOCKED_MESSAGE = "Please try again in a moment.";

  /** The lock key (without the manager's prefix). */
  String key();

  /**
   * How long the lock survives its holder's crash. The lock is renewed every {@code ttl/3} while
   * the body runs, so work longer than the ttl stays exclusive. Must be between 1 ms and 365 days.
   */
  LockSpec ttl(Duration ttl);

  /** How long to wait for a held lock before giving up; {@link Duration#ZERO} (default) fails fast. */
  LockSpec waitTimeout(Duration waitTimeout);

  /**
   * Keeps the key held until acquisition + {@code cooldown} even after the body ends, so the same
   * key cannot run again within that interval ("at most once per 10 minutes"). If the body
   * outlasts the cooldown, the lock is released as usual. Applies whether the body succeeds or
   * throws. {@link Duration#ZERO} (default) means none.
   */
  LockSpec cooldown(Duration cooldown);

  /** Builds the exception thrown when blocked, from the blocked message. */
  LockSpec onBlocked(Function<String, ? extends RuntimeException> exceptionFactory);

  /** The message given to {@link #onBlocked} (and to the default {@link ConcurrencyException}). */
  LockSpec blockedMessage(String message);

  /** The level of the one log line written when blocked; default {@code WARNING}. */
  LockSpec blockedLogLevel(System.Logger.Level level);

  /**
   * Opt-in: if Redis is unreachable, run the body <b>without</b> the lock instead of throwing
   * {@link LockUnavailableException}. Logged at WARNING each time. Use only where a duplicate is
   * cheaper than an outage.
   */
  LockSpec failOpen();

  /**
   * Acquires the lock, runs {@code body}, releases the lock (in every case) and rethrows whatever
   * the body threw, unchanged.
   *
   * @throws ConcurrencyException (or {@link #onBlocked}'s exception) if the lock is held elsewhere
   * @throws LockUnavailableException if Redis is unreachable (unless {@link #failOpen()})
   */
  <E extends Exception> void run(CheckedRunnable<E> body) throws E;

  /**
   * Like {@link #run}, returning the body's result. The result may be dropped: the lock did its
   * work whether or not the caller uses what the body returned.
   */
  @CanIgnoreReturnValue
  <T extends @Nullable Object, E extends Exception> T call(CheckedCallable<T, E> body) throws E;

  /**
   * For asynchronous work: acquires the lock, calls {@code body} to start the work, and keeps the
   * lock until the returned stage completes (releasing it from whatever thread completes it). The
   * returned stage completes after the release, with the body stage's result or exception. While
   * {@code body} runs, a nested {@code with(sameKey)} on this thread joins the lock; once it has
   * returned, this thread is no longer the holder, so it may serve other requests. Cancelling the
   * returned stage cancels the body's stage too (when it is a {@code CompletableFuture}).
   *
   * @throws ConcurrencyException (or {@link #onBlocked}'s exception) if the lock is held elsewhere
   * @throws LockUnavailableException if Redis is unreachable (unless {@link #failOpen()})
   * @throws NullPointerException if {@code body} returns null (the lock is released)
   */
  <T extends @Nullable Object, E extends Exception> CompletionStage<T> callAsync(
      CheckedCallable<? extends CompletionStage<T>, E> body) throws E;

  /**
   * Acquires the lock and returns the lease; close it with try-with-resources. The lease does not
   * make the acquiring thread the holder (it may be handed to other threads), so a nested {@code
   * with(sameKey)} is refused like any duplicate; use {@link #run}/{@link #call} for code that
   * nests, and {@link #callAsync} for asynchronous work.
   *
   * @throws ConcurrencyException (or {@link #onBlocked}'s exception) if the lock is held elsewhere
   * @throws LockUnavailableException if Redis is unreachable (unless {@link #failOpen()})
   */
  Lease acquire();
}
