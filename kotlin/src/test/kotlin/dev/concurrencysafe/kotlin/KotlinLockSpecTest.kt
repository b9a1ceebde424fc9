package dev.concurrencysafe.kotlin

import dev.concurrencysafe.ConcurrencyException
import dev.concurrencysafe.LockKey
import dev.concurrencysafe.Locks
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.RegisterExtension
import org.redisson.client.codec.StringCodec
import java.io.IOException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toJavaDuration

/** The Kotlin DSL against a real redis-server. */
class KotlinLockSpecTest {

    enum class Catalog(private val pattern: String, private val ttl: Duration) : LockKey {
        TICKET("lock:ticket:{userId}:{ticketId}", 5.seconds);

        override fun pattern(): String = pattern
        override fun ttl(): java.time.Duration = ttl.toJavaDuration()
    }

    companion object {
        @JvmField
        @RegisterExtension
        val store = ManagerOnRedis(asDefault = true)
    }

    private val redis get() = store.redis
    private val client get() = store.client
    private val manager get() = store.manager

    @Test
    fun callInfersItsResultTypeFromTheBlock() {
        val answer = lock("lock:kotlin:answer").call { 42 }
        assertEquals(43, answer + 1) // compiles only because `answer` is an Int
        val nothing = manager.lock(Catalog.TICKET, 7, 9).call { null as String? }
        assertNull(nothing?.length) // a String?, checked by the compiler
        val fromJava = Locks.with("lock:kotlin:java").ttl(java.time.Duration.ofSeconds(3)).kotlin().call { "ok" }
        assertEquals(2, fromJava.length)
    }

    @Test
    fun runRunsTheBlockOnceUnderTheLock() {
        var ran = 0
        lock(Catalog.TICKET, 1, 2).run {
            ran++
            assertEquals("1", redis.command("EXISTS", "{lock:ticket:1:2}"))
        }
        assertEquals(1, ran)
        assertEquals("0", redis.command("EXISTS", "{lock:ticket:1:2}"))
    }

    @Test
    fun catalogKeysAreFormattedAndCarryTheirTtl() {
        lock(Catalog.TICKET, 5, 6).acquire().use { lease ->
            assertEquals("lock:ticket:5:6", lease.key())
            val ttl = redis.command("PTTL", "{lock:ticket:5:6}").toLong()
            assertTrue(ttl in 4_000..5_000, "PTTL $ttl is not the catalog's 5 s")
        }
    }

    @Test
    fun kotlinDurationsReachTheLock() {
        lock("lock:kotlin:ttl").ttl(1500.milliseconds).acquire().use {
            val ttl = redis.command("PTTL", "{lock:kotlin:ttl}").toLong()
            assertTrue(ttl in 1_001..1_500, "PTTL $ttl is not the 1.5 s asked for")
        }
        lock("lock:kotlin:cooldown").cooldown(30.seconds).run {}
        val pttl = redis.command("PTTL", "{lock:kotlin:cooldown}").toLong()
        assertTrue(pttl in 20_000..30_000, "cooldown PTTL $pttl is not the 30 s asked for")
        assertThrows(ConcurrencyException::class.java) {
            lock("lock:kotlin:cooldown").run { error("must not run within the cooldown") }
        }
    }

    @Test
    fun aDerivedSpecLeavesItsBaseUnchangedAndShowsItsSettings() {
        val base = lock("lock:kotlin:shown").ttl(2.seconds)
        val patient = base.waitTimeout(3.seconds)
        assertTrue(base.java !== patient.java, "a setter returns a new spec")
        assertEquals("LockSpec[key=lock:kotlin:shown, ttl=PT2S, waitTimeout=PT0S, cooldown=PT0S]", base.toString())
        assertEquals("LockSpec[key=lock:kotlin:shown, ttl=PT2S, waitTimeout=PT3S, cooldown=PT0S]", patient.toString())
    }

    @Test
    fun aBaseSpecSharedAcrossThreadsKeepsEachThreadsDerivedSettingApart() {
        val base = lock("lock:kotlin:shared")
        val pool = Executors.newFixedThreadPool(4)
        val start = CountDownLatch(1)
        try {
            base.acquire().use {
                val results = (0 until 4).map { t ->
                    pool.submit<List<String>> {
                        start.await()
                        (0 until 300).mapNotNull { round ->
                            val mine = "thread $t round $round"
                            val refused = runCatching { base.blockedMessage(mine).run {} }.exceptionOrNull()
                            when {
                                refused == null -> "$mine ran while the key was held"
                                refused.message != mine -> "$mine saw '${refused.message}'"
                                else -> null
                            }
                        }
                    }
                }
                start.countDown()
                results.forEach { assertEquals(emptyList<String>(), it.get(60, TimeUnit.SECONDS)) }
            }
        } finally {
            pool.shutdown()
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS))
        }
    }

    @Test
    fun aBlockedCallGetsTheCustomExceptionAndDoesNotRun() {
        lock("lock:kotlin:busy").acquire().use {
            val thrown = assertThrows(IllegalStateException::class.java) {
                lock("lock:kotlin:busy")
                    .blockedMessage("already buying")
                    .onBlocked { message -> IllegalStateException("409: $message") }
                    .call { error("must not run while the key is held") }
            }
            assertEquals("409: already buying", thrown.message)
        }
    }

    @Test
    fun aWaitingCallRunsOnceTheHolderReleases() {
        val held = lock("lock:kotlin:wait").acquire()
        val waiter = CompletableFuture.supplyAsync {
            lock("lock:kotlin:wait").waitTimeout(20.seconds).call { "served" }
        }
        try {
            assertThrows(TimeoutException::class.java) {
                waiter.get(200, TimeUnit.MILLISECONDS) // still waiting while the key is held
            }
        } finally {
            held.close()
        }
        assertEquals("served", waiter.get(20, TimeUnit.SECONDS))
    }

    @Test
    fun exceptionsFromTheBlockPassThroughUnchangedAndReleaseTheLock() {
        // Kotlin may throw a Java checked exception; the caller gets that very exception.
        val failure = IOException("disk full")
        val thrown = assertThrows(IOException::class.java) {
            lock("lock:kotlin:failing").call<Int> { throw failure }
        }
        assertTrue(thrown === failure)
        assertEquals("0", redis.command("EXISTS", "{lock:kotlin:failing}"))
        assertEquals(7, lock("lock:kotlin:failing").call { 7 })
    }

    @Test
    fun callAsyncHoldsTheLockUntilTheStageCompletes() {
        val finish = CompletableFuture<String>()
        val stage = lock("lock:kotlin:async").callAsync { finish }
        assertEquals("1", redis.command("EXISTS", "{lock:kotlin:async}"))
        assertThrows(ConcurrencyException::class.java) { lock("lock:kotlin:async").run {} }
        finish.complete("done")
        assertEquals("done", stage.toCompletableFuture().get(10, TimeUnit.SECONDS))
        assertEquals("0", redis.command("EXISTS", "{lock:kotlin:async}"))
    }

    @Test
    fun badDurationsAreRejectedNamingTheValueAndLeaveNothingInRedis() {
        val infinite = assertThrows(IllegalArgumentException::class.java) {
            lock("lock:kotlin:bad").ttl(Duration.INFINITE).run { error("must not run") }
        }
        assertEquals("ttl must be finite, but was Infinity", infinite.message)
        val negative = assertThrows(IllegalArgumentException::class.java) {
            lock("lock:kotlin:bad").waitTimeout((-1).seconds).run { error("must not run") }
        }
        assertEquals("waitTimeout must be >= 0, but was PT-1S", negative.message)
        assertEquals(0L, redis.keyCount())
    }

    @Test
    fun concurrentIdenticalCallsNeverOverlap() {
        // A GET then a SET with a pause between them: two overlapping bodies lose an increment.
        val counter = client.getBucket<String>("kotlin-test:counter", StringCodec.INSTANCE)
        counter.set("0")
        val threads = 8
        val rounds = 25
        val pool = Executors.newFixedThreadPool(threads)
        try {
            val go = CountDownLatch(1)
            val workers = (1..threads).map {
                pool.submit {
                    go.await()
                    repeat(rounds) {
                        lock("lock:kotlin:counter").waitTimeout(30.seconds).run {
                            val seen = counter.get().toInt()
                            Thread.sleep(1)
                            counter.set((seen + 1).toString())
                        }
                    }
                }
            }
            go.countDown()
            workers.forEach { it.get(60, TimeUnit.SECONDS) }
            assertEquals((threads * rounds).toString(), counter.get())
        } finally {
            pool.shutdownNow()
        }
    }
}
