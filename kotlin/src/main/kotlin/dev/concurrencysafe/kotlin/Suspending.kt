package dev.concurrencysafe.kotlin

import dev.concurrencysafe.Lease
import dev.concurrencysafe.LockObservation
import dev.concurrencysafe.integration.ObservedCall
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.ThreadContextElement
import kotlinx.coroutines.future.await
import kotlinx.coroutines.withContext
import java.util.concurrent.CompletableFuture
import kotlin.coroutines.CoroutineContext

// The verbs for coroutines, in a file (a class) of their own: applications without
// kotlinx-coroutines never load it.

/**
 * Like [KotlinLockSpec.call], for a suspending [block]: acquires the lock, runs [block] in the
 * caller's coroutine context (it may suspend and resume on other threads: the lock belongs to the
 * acquisition, not to a thread, and is renewed in the background meanwhile), then releases it in
 * every case, cancellation included.
 *
 * Waiting for the lock suspends: no thread is parked, not even one of [kotlinx.coroutines.Dispatchers.IO]
 * (the acquisition is [dev.concurrencysafe.LockSpec.acquireAsync]: a release notification or the
 * holder's remaining ttl resumes it), and so does the release. Cancelling the coroutine while it
 * waits stops the wait and leaves no lock behind. There is no reentrancy: the same key locked
 * again inside [block] is refused like any duplicate, since no thread holds the lock.
 *
 * @throws dev.concurrencysafe.ConcurrencyException (or [KotlinLockSpec.onBlocked]'s exception) if the lock is held elsewhere
 * @throws dev.concurrencysafe.LockUnavailableException if Redis is unreachable (unless [KotlinLockSpec.failOpen])
 */
public suspend fun <T> KotlinLockSpec.callSuspending(block: suspend () -> T): T {
    val call = ObservedCall.start(java, "callSuspending", false)
    val lease = awaitLease(call.acquireAsync()) ?: error("not a skipping verb")
    return holding(call, lease, block)
}

/** Like [callSuspending], for a block without a result. */
public suspend fun KotlinLockSpec.runSuspending(block: suspend () -> Unit) {
    val call = ObservedCall.start(java, "runSuspending", false)
    val lease = awaitLease(call.acquireAsync()) ?: error("not a skipping verb")
    holding(call, lease, block)
}

/**
 * Skip when busy, suspending: like [callSuspending], but returns null without running [block] if
 * the key is held elsewhere (after the wait timeout, if any); logged at [KotlinLockSpec.skipLogLevel]
 * and reported as `SKIPPED`.
 */
public suspend fun <T : Any> KotlinLockSpec.tryCallSuspending(block: suspend () -> T): T? =
    trySuspending("tryCallSuspending", block)

/** Like [tryCallSuspending], for a block without a result: whether it ran. */
public suspend fun KotlinLockSpec.tryRunSuspending(block: suspend () -> Unit): Boolean =
    trySuspending("tryRunSuspending") { block() } != null

private suspend fun <T : Any> KotlinLockSpec.trySuspending(verb: String, block: suspend () -> T): T? {
    val call = ObservedCall.start(java, verb, true)
    val lease = awaitLease(call.acquireAsync()) ?: return null // skipped: the call has ended
    return holding(call, lease, block)
}

/**
 * Runs [block] with the call's observations current on every thread it resumes on, then releases
 * the lease and ends the call with what the caller receives, in every case, cancellation included.
 */
private suspend fun <T> holding(call: ObservedCall, lease: Lease, block: suspend () -> T): T {
    var thrown: Throwable? = null
    try {
        return withContext(ObservationContext(call)) { block() }
    } catch (e: Throwable) {
        thrown = e
        throw e
    } finally {
        withContext(NonCancellable) { call.finish(lease, thrown).await() }
    }
}

/**
 * Suspends until the acquisition completes (null: skipped). If the coroutine is cancelled just as
 * the lease arrived (the stage completed, so cancelling it no longer stops anything), the lease is
 * closed here: nobody else would.
 */
private suspend fun awaitLease(acquiring: CompletableFuture<Lease?>): Lease? {
    try {
        return acquiring.await()
    } catch (cancelled: CancellationException) {
        if (acquiring.isDone && !acquiring.isCompletedExceptionally) {
            acquiring.getNow(null)?.closeAsync()
        }
        throw cancelled
    }
}

/**
 * Makes a lock call's observation context (e.g. its tracing span) current on whatever thread the
 * locked block resumes on, and closes it when the block suspends or ends there. Each call has its
 * own key, so nested locked blocks keep every outer context too.
 */
private class ObservationContext(private val call: ObservedCall) : ThreadContextElement<LockObservation.Scope> {
    override val key: CoroutineContext.Key<*> = object : CoroutineContext.Key<ObservationContext> {}

    override fun updateThreadContext(context: CoroutineContext): LockObservation.Scope = call.enterBody()

    override fun restoreThreadContext(context: CoroutineContext, oldState: LockObservation.Scope) {
        oldState.close()
    }
}
