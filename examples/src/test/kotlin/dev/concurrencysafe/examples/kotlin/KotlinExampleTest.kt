package dev.concurrencysafe.examples.kotlin

import dev.concurrencysafe.ConcurrencyException
import dev.concurrencysafe.Lease
import dev.concurrencysafe.Locks
import dev.concurrencysafe.examples.plain.RunningExample
import dev.concurrencysafe.kotlin.lock
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.RegisterExtension
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.reflect.typeOf

class KotlinExampleTest {

    companion object {
        @JvmField
        @RegisterExtension
        val example: RunningExample = RunningExample()
    }

    @Test
    fun resultTypesAreInferredFromTheBlock() {
        val answer = lock("lock:kotlin:answer").call { 42 }
        assertEquals(43, answer + 1) // compiles only because `answer` is an Int
        val nothingYet = lock("lock:kotlin:nullable").call { null as String? }
        assertEquals(null, nothingYet?.length) // a String?, checked by the compiler
        assertEquals(42, answerUnderLock("lock:kotlin:answer"))
        assertEquals(42, answerWithJavaVerb("lock:kotlin:answer"))
    }

    @Test
    fun nonNullValuesComeThroughAsNonNullTypes() {
        // Declared types, not platform types: these lines compile without `!!` or `?.`, and the
        // API's @NullMarked makes `Locks.with(null)` a compile error in Kotlin.
        val lease: Lease = Locks.with("lock:kotlin:lease").acquire()
        lease.use {
            val key: String = it.key()
            val token: Long = it.fencingToken()
            assertEquals("lock:kotlin:lease", key)
            assertTrue(token > 0)
        }
    }

    @Test
    fun theCompilerSeesDeclaredTypesNotPlatformTypes() {
        // Control: an unannotated Java method gives a platform type (String!), so the probe works.
        assertTrue(isPlatformType(System.getProperty("user.dir")))
        // The API is @NullMarked: its results are plain non-null Kotlin types.
        Locks.with("lock:kotlin:types").acquire().use { lease ->
            assertFalse(isPlatformType(lease.key()))
            assertFalse(isPlatformType(Locks.with("lock:kotlin:other")))
        }
        assertFalse(isPlatformType(ConcurrencyException("lock:kotlin:types", "busy").key()))
        assertFalse(typeOf<String>().isMarkedNullable)
    }

    /**
     * Whether the compiler inferred a platform type for [value]: `typeOf` renders those with a
     * trailing "!" (e.g. "java.lang.String!"), declared types without.
     */
    private inline fun <reified T> isPlatformType(@Suppress("UNUSED_PARAMETER") value: T): Boolean =
        typeOf<T>().toString().substringBefore(" (").endsWith("!")

    @Test
    fun twentyClaimsOnTenCouponsGiveOutExactlyTen() {
        val desk = CouponDesk(example.app().redissonClient(), "kotlin-test:")
        desk.stock("welcome", 10)
        val pool = Executors.newFixedThreadPool(20)
        try {
            val go = CountDownLatch(1)
            val claims = (1..20).map {
                pool.submit<Int?> {
                    go.await()
                    desk.claim("welcome")
                }
            }
            go.countDown()
            val results = claims.map { it.get(10, TimeUnit.SECONDS) }
            // Each successful claim saw a different stock level: no two read-modify-writes overlapped.
            assertEquals((0..9).toList(), results.filterNotNull().sorted())
            assertEquals(10, results.count { it == null })
            assertEquals(0, desk.left("welcome"))
        } finally {
            pool.shutdownNow()
        }
    }

    @Test
    fun aBusyKeyIsReportedAndFreedAfterwards() {
        val holding = CountDownLatch(1)
        val release = CountDownLatch(1)
        val holder = Executors.newSingleThreadExecutor()
        try {
            val held = holder.submit<Boolean> {
                runUnlessBusy("lock:kotlin:busy") {
                    holding.countDown()
                    release.await(10, TimeUnit.SECONDS)
                }
            }
            assertTrue(holding.await(10, TimeUnit.SECONDS))
            assertFalse(runUnlessBusy("lock:kotlin:busy") {})
            release.countDown()
            assertTrue(held.get(10, TimeUnit.SECONDS))
            assertTrue(runUnlessBusy("lock:kotlin:busy") {})
        } finally {
            holder.shutdownNow()
        }
    }

    @Test
    fun anExceptionFromTheBlockPassesThroughAndReleasesTheLock() {
        val thrown = assertThrows(IllegalStateException::class.java) {
            lock("lock:kotlin:failing").call<Int> { error("payment declined") }
        }
        assertEquals("payment declined", thrown.message)
        assertEquals(7, lock("lock:kotlin:failing").call { 7 })
    }
}
