package dev.concurrencysafe;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to a lock, delivered to {@link LockListener}s.
 *
 * <p>{@link #keyName()} is what to use in metrics and dashboards: the catalog constant (e.g. {@code
 * CacheKey.PURCHASE}) for catalog keys, or the pattern of a non-enum {@link LockKey}, and {@code
 * "(literal)"} for keys given to {@code with(String)} (they may embed user ids); never a formatted
 * key. {@link #key()} is the formatted key, for logs only.
 *
 * <p>Thread-safety: immutable.
 *
 * @param type what happened
 * @param key the formatted key, without the manager's prefix
 * @param keyName the catalog constant, the LockKey pattern, or {@code "(literal)"}
 * @param fencingToken the lease's token (0 where there is none: blocked, skipped, unavailable)
 * @param duration for ACQUIRED, BLOCKED and SKIPPED the time spent waiting; for UNAVAILABLE the
 *     time until the call failed; for RELEASED, RENEWAL_FAILED and LEASE_LOST the time held; for
 *     COOLDOWN_STARTED the cooldown left
 * @param error for UNAVAILABLE and RENEWAL_FAILED the store error; otherwise null
 */
public record LockEvent(
    Type type,
    String key,
    String keyName,
    long fencingToken,
    Duration duration,
    @Nullable Throwable error) {

  /** The kinds of event, in the order they can occur for one call. */
  public enum Type {
    /** The lock was acquired (possibly after waiting). */
    ACQUIRED,
    /** The lock was held elsewhere: the call was refused (after waiting, if it waited). */
    BLOCKED,
    /**
     * The lock was held elsewhere and a skip-when-busy verb ({@code tryRun}, {@code tryCall},
     * {@code tryAcquire}, ...) did not run its body: the normal outcome of a job that runs on one
     * node per interval, reported apart from {@link #BLOCKED} so that alerts on refusals stay
     * quiet.
     */
    SKIPPED,
    /**
     * The store could not be reached: the call failed closed (or ran unprotected with failOpen).
     */
    UNAVAILABLE,
    /**
     * A renewal attempt failed for a store reason (no answer in time, a connection error, a
     * refusal) while the lease is not yet known lost: renewal is retried until the lease's last
     * confirmed expiry, after which {@link #LEASE_LOST} follows. {@link LockEvent#error()} says
     * why.
     */
    RENEWAL_FAILED,
    /** A renewal found the key expired or taken while the body still ran. */
    LEASE_LOST,
    /** The body ended and the lease was closed. */
    RELEASED,
    /** After release, the key stays held until acquisition + cooldown. */
    COOLDOWN_STARTED
  }
}
