package dev.concurrencysafe.examples.kotlin

import dev.concurrencysafe.LockSpec

// Kotlin has no checked exceptions, so it cannot infer the `E` of the Java verbs
// `<T, E extends Exception> T call(CheckedCallable<T, E>)` and `run(CheckedRunnable<E>)`:
// `spec.call { 42 }` fails with "Cannot infer type for type parameter 'E'". Naming it works
// (`spec.call<_, RuntimeException> { 42 }`); these two extensions say it once. Kotlin code may
// throw any exception from the block either way: the lock is released and the exception passes
// through unchanged.

/** Runs [block] under the lock and returns its result; the result type is inferred from [block]. */
inline fun <T> LockSpec.locked(crossinline block: () -> T): T =
    call<T, RuntimeException> { block() }

/** Runs [block] under the lock. */
inline fun LockSpec.lockedRun(crossinline block: () -> Unit): Unit =
    run<RuntimeException> { block() }
