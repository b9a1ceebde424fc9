package dev.concurrencysafe.kotlin

import dev.concurrencysafe.Lease
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.future.await
import kotlinx.coroutines.withContext
import java.util.Optional
import java.util.concurrent.CompletionStage

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
public suspend fun <T> KotlinLockSpec.callSuspending(block: suspend () -> T): T =
    holding(awaitLease(java.acquireAsync()), block)

/** Like [callSuspending], for a block without a result. */
public suspend fun KotlinLockSpec.runSuspending(block: suspend () -> Unit): Unit = callSuspending(block)

/**
 * Skip when busy, suspending: like [callSuspending], but returns null without running [block] if
 * the key is held elsewhere (after the wait timeout, if any); logged at [KotlinLockSpec.skipLogLevel]
 * and reported as `SKIPPED`.
 */
public suspend fun <T : Any> KotlinLockSpec.tryCallSuspending(block: suspend () -> T): T? {
    val lease = awaitLease(java.tryAcquireAsync()).orElse(null) ?: return null
    return holding(lease, block)
}

/** Like [tryCallSuspending], for a block without a result: whether it ran. */
public suspend fun KotlinLockSpec.tryRunSuspending(block: suspend () -> Unit): Boolean =
    tryCallSuspending { block() } != null

private suspend fun <T> holding(lease: Lease, block: suspend () -> T): T {
    try {
        return block()
    } finally {
        withContext(NonCancellable) { lease.closeAsync().await() }
    }
}

/**
 * Suspends until the acquisition completes. If the coroutine is cancelled just as the lease
 * arrived (the stage completed, so cancelling it no longer stops anything), the lease is closed
 * here: nobody else would.
 */
private suspend fun <L : Any> awaitLease(acquiring: CompletionStage<L>): L {
    val future = acquiring.toCompletableFuture()
    try {
        return future.await()
    } catch (cancelled: CancellationException) {
        if (future.isDone && !future.isCompletedExceptionally) {
            when (val late = future.getNow(null)) {
                is Lease -> late.closeAsync()
                is Optional<*> -> (late.orElse(null) as? Lease)?.closeAsync()
            }
        }
        throw cancelled
    }
}
