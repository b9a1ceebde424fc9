package dev.concurrencysafe.kotlin

import dev.concurrencysafe.ConcurrencyException
import dev.concurrencysafe.testing.Await
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.RegisterExtension
import org.redisson.client.codec.StringCodec
import java.io.IOException
import java.time.Duration
import kotlin.time.Duration.Companion.seconds

/** The suspending verbs against a real redis-server. */
class SuspendingTest {

    companion object {
        @JvmField
        @RegisterExtension
        val store = ManagerOnRedis()
    }

    private val redis get() = store.redis
    private val client get() = store.client
    private val manager get() = store.manager

    @Test
    fun theLockIsHeldWhileTheBlockIsSuspendedAndReleasedAfterwards() = runBlocking {
        val entered = CompletableDeferred<Unit>()
        val finish = CompletableDeferred<String>()
        val holder = async(Dispatchers.Default) {
            manager.lock("lock:suspend:held").callSuspending {
                entered.complete(Unit)
                finish.await() // suspended, no thread held
            }
        }
        withTimeout(10_000) { entered.await() }
        assertEquals("1", redis.command("EXISTS", "{lock:suspend:held}"))
        assertThrows(ConcurrencyException::class.java) { manager.lock("lock:suspend:held").run {} }
        finish.complete("done")
        val result: String = holder.await() // the type comes from the block
        assertEquals("done", result)
        assertEquals("0", redis.command("EXISTS", "{lock:suspend:held}"))
    }

    @Test
    fun exceptionsPassThroughAndReleaseTheLock() = runBlocking {
        val failure = IOException("disk full")
        val thrown = runCatching {
            manager.lock("lock:suspend:failing").callSuspending<Int> {
                delay(1)
                throw failure
            }
        }.exceptionOrNull()
        // kotlinx.coroutines' stack-trace recovery may hand the caller a copy whose cause is the original.
        assertTrue(thrown === failure || thrown?.cause === failure, "got $thrown")
        assertEquals(failure.message, thrown?.message)
        assertEquals("0", redis.command("EXISTS", "{lock:suspend:failing}"))
    }

    @Test
    fun aWaitingCoroutineRunsOnceTheHolderReleases() = runBlocking {
        val held = manager.lock("lock:suspend:wait").acquire()
        val waiter = async(Dispatchers.Default) {
            manager.lock("lock:suspend:wait").waitTimeout(20.seconds).callSuspending { "served" }
        }
        try {
            awaitSubscribedWaiter()
            assertFalse(waiter.isCompleted)
        } finally {
            held.close()
        }
        assertEquals("served", withTimeout(20_000) { waiter.await() })
    }

    @Test
    fun cancellingAWaitingCoroutineStopsItsWaitAndItNeverRuns() = runBlocking {
        val held = manager.lock("lock:suspend:cancel").acquire()
        var ran = false
        val waiter = launch(Dispatchers.Default) {
            manager.lock("lock:suspend:cancel").waitTimeout(60.seconds).runSuspending { ran = true }
        }
        awaitSubscribedWaiter()
        withTimeout(10_000) { waiter.cancelAndJoin() } // well before its 60 s wait would end
        held.close()
        assertFalse(ran)
        assertEquals("0", redis.command("EXISTS", "{lock:suspend:cancel}"), "the cancelled waiter took nothing")
    }

    @Test
    fun concurrentSuspendingBodiesNeverOverlap() = runBlocking {
        // GET, suspend, SET: two overlapping bodies would lose an increment.
        val counter = client.getBucket<String>("suspend-test:counter", StringCodec.INSTANCE)
        counter.set("0")
        val coroutines = 40
        (1..coroutines).map {
            async(Dispatchers.Default) {
                manager.lock("lock:suspend:counter").waitTimeout(60.seconds).runSuspending {
                    val seen = counter.get().toInt()
                    delay(1)
                    yield()
                    counter.set((seen + 1).toString())
                }
            }
        }.awaitAll()
        assertEquals(coroutines.toString(), counter.get())
    }

    /** A refused waiter subscribes to the release channel before it parks. */
    private fun awaitSubscribedWaiter() {
        Await.until("a waiter subscribed to the release channel", Duration.ofSeconds(10)) {
            redis.server().subscribers("concurrency-safe:released") == 1L
        }
    }
}
