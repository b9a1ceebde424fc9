package dev.concurrencysafe.kotlin

import dev.concurrencysafe.testing.Await
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.RegisterExtension
import java.lang.management.ManagementFactory
import java.time.Duration
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/** The skip-when-busy verbs and suspending waits that park no thread, against a real redis-server. */
class SkipAndSuspendTest {

    companion object {
        @JvmField
        @RegisterExtension
        val store = ManagerOnRedis()
    }

    private val redis get() = store.redis
    private val manager get() = store.manager

    @Test
    fun skippingVerbsReturnFalseOrNullWhileHeldElsewhereAndRunWhenFree() {
        manager.lock("lock:kt:skip").acquire().use {
            assertFalse(manager.lock("lock:kt:skip").tryRun { error("must not run") })
            val skipped: Int? = manager.lock("lock:kt:skip").tryCall { 42 }
            assertNull(skipped)
            assertNull(manager.lock("lock:kt:skip").tryAcquire())
        }
        assertTrue(manager.lock("lock:kt:skip").tryRun {})
        assertEquals(42, manager.lock("lock:kt:skip").tryCall { 42 })
        manager.lock("lock:kt:skip").tryAcquire()!!.use { assertTrue(it.isValid) }
        assertEquals("0", redis.command("EXISTS", "{lock:kt:skip}"))
    }

    @Test
    fun suspendingSkipVerbsSkipAHeldKeyAndRunAFreeOne() = runBlocking {
        manager.lock("lock:kt:skip-suspend").acquire().use {
            assertFalse(manager.lock("lock:kt:skip-suspend").tryRunSuspending { error("must not run") })
            assertNull(manager.lock("lock:kt:skip-suspend").tryCallSuspending { "no" })
        }
        assertEquals("yes", manager.lock("lock:kt:skip-suspend").tryCallSuspending {
            delay(1)
            "yes"
        })
        assertEquals("0", redis.command("EXISTS", "{lock:kt:skip-suspend}"))
    }

    @Test
    fun aThousandCoroutinesWaitForOneKeyWithoutParkingAThreadAndNeverOverlap() = runBlocking {
        val spec = manager.lock("lock:kt:thousand").waitTimeout(5.minutes)
        var counter = 0 // read, suspend, write: overlapping bodies would lose increments
        var inside = 0
        var overlaps = 0
        val body: suspend () -> Unit = {
            if (inside++ > 0) overlaps++
            val seen = counter
            delay(1)
            counter = seen + 1
            inside--
        }
        spec.runSuspending(body) // warm-up: client threads, scheduler, subscription, dispatchers
        counter = 0
        val threads = ManagementFactory.getThreadMXBean()
        val before = threads.threadCount
        var peak = before
        val coroutines = 1_000
        val started = System.nanoTime()
        val waiters = (1..coroutines).map { async(Dispatchers.Default) { spec.runSuspending(body) } }
        val sampler = launch(Dispatchers.Default) {
            while (true) {
                peak = maxOf(peak, threads.threadCount)
                delay(5)
            }
        }
        waiters.awaitAll()
        sampler.cancel()
        val millis = (System.nanoTime() - started) / 1_000_000
        assertEquals(0, overlaps, "bodies overlapped")
        assertEquals(coroutines, counter, "read-suspend-write lost increments: bodies overlapped")
        assertTrue(peak - before < 20, "live threads grew from $before to $peak while $coroutines coroutines waited")
        println("$coroutines coroutines served in $millis ms; live threads $before before, peak $peak")
    }

    @Test
    fun cancellingASuspendedWaitLeavesNoWaiterAndNoLock() = runBlocking {
        val held = manager.lock("lock:kt:cancel").acquire()
        val waiter = launch(Dispatchers.Default) {
            manager.lock("lock:kt:cancel").waitTimeout(60.seconds).runSuspending { error("must not run") }
        }
        Await.until("the waiter subscribed", Duration.ofSeconds(10)) {
            redis.server().subscribers("concurrency-safe:released") == 1L
        }
        waiter.cancel()
        waiter.join()
        yield()
        held.close()
        assertEquals("0", redis.command("EXISTS", "{lock:kt:cancel}"), "the cancelled waiter took nothing")
        assertTrue(manager.lock("lock:kt:cancel").tryRun {})
    }
}
