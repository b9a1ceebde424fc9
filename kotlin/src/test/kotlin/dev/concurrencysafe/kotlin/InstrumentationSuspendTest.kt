package dev.concurrencysafe.kotlin

import dev.concurrencysafe.ConcurrencyException
import dev.concurrencysafe.LockCall
import dev.concurrencysafe.LockEvent
import dev.concurrencysafe.LockInstrumentation
import dev.concurrencysafe.LockManager
import dev.concurrencysafe.LockObservation
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.RegisterExtension
import org.redisson.Redisson
import org.redisson.api.RedissonClient
import org.redisson.config.Config
import java.util.concurrent.CopyOnWriteArrayList

/**
 * The suspending verbs seen by a [LockInstrumentation] on a real redis-server: the observation's
 * context is current on every thread the block resumes on, and the call ends once, after the
 * release, with what the caller receives.
 */
class InstrumentationSuspendTest {

    companion object {
        @JvmField
        @RegisterExtension
        val store = ManagerOnRedis()

        /** What an instrumentation such as OpenTelemetry makes current: here, the verb's name. */
        val current = ThreadLocal<String?>()
    }

    private val log = CopyOnWriteArrayList<String>()
    private val bodyThreads = CopyOnWriteArrayList<String>()
    private val ends = CopyOnWriteArrayList<Throwable?>()

    private val recorder = LockInstrumentation { call: LockCall ->
        log.add("start ${call.verb()}")
        object : LockObservation {
            override fun enterBody(): LockObservation.Scope {
                val previous = current.get()
                current.set(call.verb())
                bodyThreads.add(Thread.currentThread().name)
                return LockObservation.Scope { current.set(previous) }
            }

            override fun onEvent(event: LockEvent) {
                log.add(event.type().name)
            }

            override fun end(thrown: Throwable?) {
                ends.add(thrown)
                log.add("end")
            }
        }
    }

    private val client: RedissonClient =
        Redisson.create(Config().apply { useSingleServer().address = store.redis.uri() })
    private val manager: LockManager = LockManager.builder().instrumentation(recorder).redisson(client)

    @AfterEach
    fun close() {
        manager.close()
        client.shutdown()
    }

    @Test
    fun theContextIsCurrentOnEveryThreadTheBlockResumesOn() = runBlocking {
        val seen = CopyOnWriteArrayList<String?>()
        val result = manager.lock("lock:instr:suspend").callSuspending {
            seen.add(current.get())
            withContext(Dispatchers.IO) {
                seen.add(current.get())
                delay(5)
                seen.add(current.get())
            }
            delay(5)
            seen.add(current.get())
            "done"
        }
        assertEquals("done", result)
        assertEquals(listOf("callSuspending", "callSuspending", "callSuspending", "callSuspending"), seen)
        assertEquals(null, current.get(), "closed on the caller's thread after the block")
        assertTrue(bodyThreads.toSet().size >= 2, "resumed on several threads: $bodyThreads")
        assertEquals(listOf("start callSuspending", "ACQUIRED", "RELEASED", "end"), log)
        assertEquals(listOf<Throwable?>(null), ends)
    }

    @Test
    fun theCallEndsOnceWithTheBlocksExceptionOrTheRefusal() = runBlocking {
        val failure = IllegalStateException("the block's own")
        val thrown = assertThrows(IllegalStateException::class.java) {
            runBlocking { manager.lock("lock:instr:fail").runSuspending { delay(1); throw failure } }
        }
        // kotlinx.coroutines may hand the caller a copy of the exception (stack-trace recovery)
        assertEquals(failure.message, thrown.message)
        assertEquals(failure.message, ends.single()?.message)
        assertEquals(listOf("start runSuspending", "ACQUIRED", "RELEASED", "end"), log)

        log.clear()
        ends.clear()
        manager.lock("lock:instr:busy").acquire().use {
            log.clear()
            assertEquals(null, manager.lock("lock:instr:busy").tryCallSuspending { "ran" })
            val refused = assertThrows(ConcurrencyException::class.java) {
                runBlocking { manager.lock("lock:instr:busy").runSuspending { } }
            }
            assertEquals(listOf(null, refused), ends.toList())
        }
        assertEquals(listOf("start tryCallSuspending", "SKIPPED", "end", "start runSuspending", "BLOCKED",
            "end", "RELEASED", "end"), log)
    }
}
