package dev.concurrencysafe.examples.kotlin

import dev.concurrencysafe.ConcurrencyException
import dev.concurrencysafe.Locks
import dev.concurrencysafe.examples.plain.CacheKey
import dev.concurrencysafe.kotlin.lock
import org.redisson.api.RedissonClient
import org.redisson.client.codec.StringCodec
import kotlin.time.Duration.Companion.seconds

/**
 * Limited coupons claimed from Kotlin through `concurrency-safe-kotlin`'s `lock(..)`: trailing
 * lambdas, `kotlin.time` durations, result types inferred from the lambda, and nullness carried over from the API's JSpecify `@NullMarked` annotations, so
 * Kotlin sees `String` and `Long` where Java says non-null, never a platform type `String!`.
 *
 * The stock lives in Redis and is updated with a GET and a separate SET: a race on its own, made
 * safe by the coupon's lock.
 *
 * Thread-safety: thread-safe.
 */
class CouponDesk(private val redis: RedissonClient, private val dataPrefix: String) {

    /** Puts [count] coupons [couponId] on the desk. */
    fun stock(couponId: String, count: Int) {
        stockOf(couponId).set(count.toString())
    }

    /**
     * Claims one coupon [couponId]; waits up to two seconds for other claims of the same coupon.
     *
     * @return how many are left after this claim, or `null` if it was sold out
     */
    fun claim(couponId: String): Int? =
        lock(CacheKey.COUPON_STOCK, couponId)
            .waitTimeout(2.seconds)
            .call {
                val left = stockOf(couponId).get()?.toInt() ?: 0
                if (left == 0) {
                    null
                } else {
                    stockOf(couponId).set((left - 1).toString())
                    left - 1
                }
            }

    /** Coupons left, as stored in Redis. */
    fun left(couponId: String): Int = stockOf(couponId).get()?.toInt() ?: 0

    private fun stockOf(couponId: String) =
        redis.getBucket<String>("${dataPrefix}coupon-stock:$couponId", StringCodec.INSTANCE)
}

/** The result type comes from the block: `Int`, no cast, no `Any?`. */
fun answerUnderLock(key: String): Int = lock(key).call { 42 }

/**
 * The same through the Java API, which Kotlin code may also use: its `call` is generic in the
 * checked exception type `E`, which Kotlin cannot infer, so it is named (`_` still infers `T`).
 */
fun answerWithJavaVerb(key: String): Int = Locks.with(key).call<_, RuntimeException> { 42 }

/**
 * Runs [block] unless the same [key] is running elsewhere; returns whether it ran. The
 * exception's `key()` is a `String` (non-null), usable without `!!`.
 */
fun runUnlessBusy(key: String, block: () -> Unit): Boolean =
    try {
        lock(key).run(block)
        true
    } catch (e: ConcurrencyException) {
        val busyKey: String = e.key()
        check(busyKey == key) { "blocked on $busyKey, expected $key" }
        false
    }
