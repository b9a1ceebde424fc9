package dev.concurrencysafe;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What to lock and how, ending in a terminal verb. Obtained from {@link Locks#with(String)} or
 * {@link LockManager#with(String)}.
 *
 * <table>
 *   <caption>The terminal verbs</caption>
 *   <tr><th></th><th>held elsewhere: refuse (throw)</th><th>held elsewhere: skip</th></tr>
 *   <tr><td>blocking</td><td>{@link #run}, {@link #call}, {@link #acquire}</td>
 *       <td>{@link #tryRun} (false), {@link #tryCall} (empty), {@link #tryAcquire} (empty)</td></tr>
 *   <tr><td>asynchronous: no thread waits</td><td>{@link #callAsync}, {@link #acquireAsync}</td>
 *       <td>{@link #tryCallAsync}, {@link #tryAcquireAsync}</td></tr>
 * </table>
 *
 * <p>"Held elsewhere" means held by another owner until the wait timeout ran out, nothing else: a
 * store that is unreachable or refuses the call fails every verb closed with {@link
 * LockUnavailableException} (or runs the body unprotected with {@link #failOpen()}), skipping ones
 * included.
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
 * <p>Thread-safety: immutable and thread-safe; one spec may be shared, derived from and used by any
 * number of threads at once, and its leases used from any thread.
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

  /**
   * How long to wait for a held lock before giving up; {@link Duration#ZERO} (default) fails fast.
   */
  LockSpec waitTimeout(Duration waitTimeout);

  /**
   * Keeps the key held until acquisition + {@code cooldown} even after the body ends, so the same
   * key cannot run again within that interval ("at most once per 10 minutes"). If the body outlasts
   * the cooldown, the lock is released as usual. Applies whether the body succeeds or throws.
   * {@link Duration#ZERO} (default) means none.
   */
  LockSpec cooldown(Duration cooldown);

  /** Builds the exception thrown when blocked, from the blocked message. */
  LockSpec onBlocked(Function<String, ? extends RuntimeException> exceptionFactory);

  /** The message given to {@link #onBlocked} (and to the default {@link ConcurrencyException}). */
  LockSpec blockedMessage(String message);

  /** The level of the one log line written when blocked; default {@code WARNING}. */
  LockSpec blockedLogLevel(System.Logger.Level level);

  /**
   * The level of the one log line a skip-when-busy verb ({@link #tryRun}, ...) writes when the key
   * is held elsewhere; default {@code DEBUG}: for a job that runs on one node per interval, a skip
   * is the normal case. Skips are also reported as {@link LockEvent.Type#SKIPPED}.
   */
  LockSpec skipLogLevel(System.Logger.Level level);

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
   * Skip when busy: like {@link #run}, but if the lock is held elsewhere (after the wait timeout,
   * if any) the body does not run and this returns {@code false} instead of throwing. The skip is
   * logged at {@link #skipLogLevel} (default DEBUG) and reported as {@link LockEvent.Type#SKIPPED}.
   * With a {@link #cooldown}, this is "at most once per interval across all nodes" for a job every
   * node fires.
   *
   * @return whether the body ran
   * @throws LockUnavailableException if Redis is unreachable (unless {@link #failOpen()}): a skip
   *     means "held elsewhere", nothing else
   */
  @CanIgnoreReturnValue
  <E extends Exception> boolean tryRun(CheckedRunnable<E> body) throws E;

  /**
   * Skip when busy: like {@link #call}, but if the lock is held elsewhere the body does not run and
   * this returns {@link Optional#empty()} (logged and reported as for {@link #tryRun}).
   *
   * @return the body's result, or empty if it did not run
   * @throws NullPointerException if the body returned null (after it ran and the lock was
   *     released): an empty result would read as "did not run"; return a value or use {@link
   *     #tryRun}
   * @throws LockUnavailableException if Redis is unreachable (unless {@link #failOpen()})
   */
  <T, E extends Exception> Optional<T> tryCall(CheckedCallable<T, E> body) throws E;

  /**
   * For asynchronous work, with no thread waiting at any point: acquires the lock asynchronously
   * (see {@link #acquireAsync}), then calls {@code body} to start the work, and keeps the lock
   * until the body's stage completes (releasing it without blocking whatever thread completes it).
   * The returned stage completes after the release with the body stage's result or exception.
   *
   * <p>Every outcome arrives through the returned stage, never as an exception of this call: it
   * fails with {@link ConcurrencyException} (or {@link #onBlocked}'s exception) if the lock is held
   * elsewhere, {@link LockUnavailableException} if Redis is unreachable (unless {@link
   * #failOpen()}), the body's own exception, or {@link NullPointerException} if the body returned
   * null instead of a stage (the lock is released).
   *
   * <p>{@code body} runs on the thread that acquired: the calling thread if the lock was taken
   * without a round trip (a nested call inside a body holding the same key joins it), else a thread
   * of the common {@code ForkJoinPool}; keep it short (it starts the work, it does not do it).
   * While it runs, a nested {@code with(sameKey)} on that thread joins the lock. Cancelling the
   * returned stage stops a wait for the lock (leaving no lock and no subscription behind) or, once
   * the work started, cancels the body's stage too (when it is a {@code CompletableFuture}).
   *
   * @throws NullPointerException if {@code body} is null (nothing is acquired)
   */
  <T extends @Nullable Object> CompletionStage<T> callAsync(
      CheckedCallable<? extends CompletionStage<T>, ? extends Exception> body);

  /**
   * Skip when busy, asynchronously: like {@link #callAsync}, but if the lock is held elsewhere the
   * body does not run and the stage completes with {@link Optional#empty()} (logged and reported as
   * for {@link #tryRun}). A body stage completing with null completes this one with {@link
   * NullPointerException}, as for {@link #tryCall}.
   *
   * @throws NullPointerException if {@code body} is null (nothing is acquired)
   */
  <T> CompletionStage<Optional<T>> tryCallAsync(
      CheckedCallable<? extends CompletionStage<T>, ? extends Exception> body);

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

  /**
   * Skip when busy: like {@link #acquire}, but if the lock is held elsewhere returns {@link
   * Optional#empty()} (logged and reported as for {@link #tryRun}) instead of throwing.
   *
   * @throws LockUnavailableException if Redis is unreachable (unless {@link #failOpen()})
   */
  Optional<Lease> tryAcquire();

  /**
   * Acquires without blocking any thread: the first attempt is one asynchronous round trip; with a
   * {@link #waitTimeout}, the wait is for the release notification (the manager's one pub/sub
   * subscription) or the holder's remaining ttl, by a timer, never a parked thread. The same
   * semantics as {@link #acquire}: the stage fails with {@link ConcurrencyException} (or {@link
   * #onBlocked}'s exception) when the wait ran out, with {@link LockUnavailableException} if a
   * store call got no answer within the manager's unavailable timeout (unless {@link #failOpen()});
   * the lease renews itself, carries a fencing token, and starts the {@link #cooldown} on close.
   *
   * <p>The stage completes on a thread of the common {@code ForkJoinPool}, never on the Redis
   * client's I/O threads. Cancelling it stops the wait and leaves no lock and no subscription
   * behind; a lease it could no longer hand over is released. Close the lease with {@link
   * Lease#closeAsync()} from asynchronous code. The lease does not make any thread the holder.
   */
  CompletionStage<Lease> acquireAsync();

  /**
   * Skip when busy, asynchronously: like {@link #acquireAsync}, but if the lock is held elsewhere
   * the stage completes with {@link Optional#empty()} (logged and reported as for {@link #tryRun}).
   */
  CompletionStage<Optional<Lease>> tryAcquireAsync();
}
