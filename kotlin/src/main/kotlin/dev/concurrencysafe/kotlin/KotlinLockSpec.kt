package dev.concurrencysafe.kotlin

import dev.concurrencysafe.Lease
import dev.concurrencysafe.LockKey
import dev.concurrencysafe.LockManager
import dev.concurrencysafe.LockSpec
import dev.concurrencysafe.Locks
import com.google.errorprone.annotations.CheckReturnValue
import java.util.concurrent.CompletionStage
import kotlin.time.Duration
import kotlin.time.toJavaDuration

/**
 * The lock DSL for Kotlin: [LockSpec] with Kotlin lambdas and [kotlin.time.Duration]s.
 *
 * ```
 * lock(CacheKey.PURCHASE, userId, ticketId)
 *     .waitTimeout(2.seconds)
 *     .call { purchase(userId, ticketId) }   // the result type comes from the block
 * ```
 *
 * Why a separate type: Java's `LockSpec.call` is `<T, E extends Exception> T call(CheckedCallable<T, E>)`
 * so that Java callers' checked exceptions pass through without `throws Exception`. Kotlin has no
 * checked exceptions, so it cannot infer `E`, and a Kotlin extension named `call` can never win
 * over that member. This wrapper's verbs take plain Kotlin function types instead. Any exception
 * the block throws (checked ones included) passes through unchanged and the lock is released.
 *
 * Everything else is [LockSpec]'s: defaults, validation (the same typed errors), semantics.
 * [java] is the underlying spec, for anything only the Java API offers.
 *
 * Like [LockSpec] it is an immutable value: each setter returns a new spec and leaves this one
 * unchanged, so a base spec can be shared and derived from (`val quick = base.waitTimeout(ZERO)`
 * leaves `base` failing fast after its own wait). A setter's result must be used:
 * `spec.cooldown(d)` on its own changes nothing. `run` is this spec's verb, not the stdlib scope
 * function: `lock(k).run { 42 }` is `Unit`; use [call] for a result.
 *
 * Thread-safety: immutable and thread-safe, like [LockSpec]: one spec may be shared and derived
 * from by any number of threads.
 */
@CheckReturnValue
@JvmInline
public value class KotlinLockSpec(
    /** The Java spec this wraps (immutable too: setters return a new wrapper around a new spec). */
    public val java: LockSpec,
) {
    /** The lock key (without the manager's prefix). */
    public val key: String get() = java.key()

    /** The key and the settings, as [LockSpec.toString] shows them. */
    override fun toString(): String = java.toString()

    /** See [LockSpec.ttl]: how long the lock survives its holder's crash; renewed while the block runs. */
    public fun ttl(ttl: Duration): KotlinLockSpec = KotlinLockSpec(java.ttl(toJava("ttl", ttl)))

    /** See [LockSpec.waitTimeout]: how long to wait for a held lock; zero (default) fails fast. */
    public fun waitTimeout(waitTimeout: Duration): KotlinLockSpec =
        KotlinLockSpec(java.waitTimeout(toJava("waitTimeout", waitTimeout)))

    /** See [LockSpec.cooldown]: keeps the key held until acquisition + [cooldown]. */
    public fun cooldown(cooldown: Duration): KotlinLockSpec = KotlinLockSpec(java.cooldown(toJava("cooldown", cooldown)))

    /** See [LockSpec.onBlocked]: builds the exception thrown when blocked, from the blocked message. */
    public fun onBlocked(exceptionFactory: (message: String) -> RuntimeException): KotlinLockSpec =
        KotlinLockSpec(java.onBlocked(exceptionFactory))

    /** See [LockSpec.blockedMessage]. */
    public fun blockedMessage(message: String): KotlinLockSpec = KotlinLockSpec(java.blockedMessage(message))

    /** See [LockSpec.blockedLogLevel]. */
    public fun blockedLogLevel(level: System.Logger.Level): KotlinLockSpec = KotlinLockSpec(java.blockedLogLevel(level))

    /** See [LockSpec.failOpen]: runs the block without the lock when Redis is unreachable. */
    public fun failOpen(): KotlinLockSpec = KotlinLockSpec(java.failOpen())

    /**
     * Acquires the lock, runs [block], releases the lock in every case and returns the block's
     * result (its type, nullability included, is inferred from the block).
     *
     * @throws dev.concurrencysafe.ConcurrencyException (or [onBlocked]'s exception) if the lock is held elsewhere
     * @throws dev.concurrencysafe.LockUnavailableException if Redis is unreachable (unless [failOpen])
     */
    public fun <T> call(block: () -> T): T = java.call<T, RuntimeException>(block)

    /** Like [call], for a block without a result. */
    public fun run(block: () -> Unit): Unit = java.run<RuntimeException>(block)

    /** See [LockSpec.callAsync]: keeps the lock until the stage [block] returns completes. */
    public fun <T> callAsync(block: () -> CompletionStage<T>): CompletionStage<T> =
        java.callAsync<T, RuntimeException>(block)

    /** See [LockSpec.acquire]: a [Lease] to close with `use { }`. */
    public fun acquire(): Lease = java.acquire()

    private fun toJava(name: String, duration: Duration): java.time.Duration {
        // toJavaDuration() would turn INFINITE into ~292 billion years and the core would report
        // that number; name the actual input instead.
        require(duration.isFinite()) { "$name must be finite, but was $duration" }
        return duration.toJavaDuration()
    }
}

/** A spec for a literal key on the default manager; see [Locks.with]. */
public fun lock(key: String): KotlinLockSpec = KotlinLockSpec(Locks.with(key))

/** A spec for `key.format(args)` on the default manager, with `key.ttl()`; see [Locks.with]. */
public fun lock(key: LockKey, vararg args: Any): KotlinLockSpec = KotlinLockSpec(Locks.with(key, *args))

/** A spec for a literal key on this manager; see [LockManager.with]. */
public fun LockManager.lock(key: String): KotlinLockSpec = KotlinLockSpec(with(key))

/** A spec for `key.format(args)` on this manager; see [LockManager.with]. */
public fun LockManager.lock(key: LockKey, vararg args: Any): KotlinLockSpec =
    KotlinLockSpec(with(key, *args))

/** This Java spec with the Kotlin verbs, e.g. for a spec built by shared Java code. */
public fun LockSpec.kotlin(): KotlinLockSpec = KotlinLockSpec(this)
