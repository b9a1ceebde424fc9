package dev.concurrencysafe.opentelemetry

import dev.concurrencysafe.LockManager
import dev.concurrencysafe.kotlin.lock
import dev.concurrencysafe.kotlin.runSuspending
import io.opentelemetry.api.trace.Span
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension
import io.opentelemetry.sdk.trace.data.SpanData
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.RegisterExtension

/**
 * Kotlin's suspending verbs: the lock span is the parent of the block's spans on every thread the
 * block resumes on, and the caller's context is back once the call returns.
 */
class CoroutineLockSpansTest {

    @JvmField
    @RegisterExtension
    val otel: OpenTelemetryExtension = OpenTelemetryExtension.create()

    @Test
    fun theLockSpanIsCurrentOnEveryThreadTheBlockResumesOn() {
        val tracer = otel.openTelemetry.getTracer("test")
        val caller = Thread.currentThread().name
        var otherThread = caller
        LockManager.builder().instrumentation(LockTracing.create(otel.openTelemetry)).inMemory().use { locks ->
            val request = tracer.spanBuilder("request").startSpan()
            request.makeCurrent().use {
                runBlocking {
                    locks.lock("report:user-42").runSuspending {
                        tracer.spanBuilder("before suspending").startSpan().end()
                        withContext(Dispatchers.Default) {
                            otherThread = Thread.currentThread().name
                            tracer.spanBuilder("on another thread").startSpan().end()
                        }
                        delay(10)
                        tracer.spanBuilder("after resuming").startSpan().end()
                    }
                }
                assertSame(request, Span.current(), "the caller's context is restored")
            }
            request.end()
        }
        assertNotEquals(caller, otherThread)
        val lock = span("lock (literal)")
        assertEquals(span("request").spanId, lock.parentSpanId)
        assertEquals("runSuspending", lock.attributes.get(LockAttributes.VERB))
        assertEquals("acquired", lock.attributes.get(LockAttributes.OUTCOME))
        for (name in listOf("before suspending", "on another thread", "after resuming")) {
            assertEquals(lock.spanId, span(name).parentSpanId, name)
        }
    }

    private fun span(name: String): SpanData = otel.spans.single { it.name == name }
}
