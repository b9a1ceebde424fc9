package dev.concurrencysafe.kotlin

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.runInterruptible
import kotlinx.coroutines.withContext

// The verbs for coroutines, in a file (a class) of their own: applications without
// kotlinx-coroutines never load it.

/**
 * Like [KotlinLockSpec.call], for a suspending [block]: acquires the lock, runs [block] in the
 * caller's coroutine context (it may suspend and resume on other threads: the lock belongs to the
 * acquisition, not to a thread, and is renewed in the background meanwhile), then releases it in
 * every case, cancellation included.
 *
 * Acquiring and releasing are blocking calls to the lock store (one round trip each, longer with
 * [KotlinLockSpec.waitTimeout]); they run on [Dispatchers.IO], and cancelling the coroutine while
 * it waits for the lock stops the wait. There is no reentrancy: the same key locked again inside
 * [block] is refused like any duplicate, since no thread holds the lock.
 *
 * @throws dev.concurrencysafe.ConcurrencyException (or [KotlinLockSpec.onBlocked]'s exception) if the lock is held elsewhere
 * @throws dev.concurrencysafe.LockUnavailableException if Redis is unreachable (unless [KotlinLockSpec.failOpen])
 */
public suspend fun <T> KotlinLockSpec.callSuspending(block: suspend () -> T): T {
    val lease = try {
        runInterruptible(Dispatchers.IO) { java.acquire() }
    } catch (refused: RuntimeException) {
        // Cancellation interrupts the wait, which the core reports as giving up (a refusal):
        // report it as what it is, so the coroutine ends cancelled rather than failed.
        currentCoroutineContext().ensureActive()
        throw refused
    }
    try {
        return block()
    } finally {
        withContext(NonCancellable + Dispatchers.IO) { lease.close() }
    }
}

/** Like [callSuspending], for a block without a result. */
public suspend fun KotlinLockSpec.runSuspending(block: suspend () -> Unit): Unit = callSuspending(block)
