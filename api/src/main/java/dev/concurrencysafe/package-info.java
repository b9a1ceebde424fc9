/**
 * concurrency-safe: stops duplicate concurrent work across threads and JVMs.
 *
 * <p>Start with {@link dev.concurrencysafe.Locks#with(String)} or a {@link
 * dev.concurrencysafe.LockManager}: {@code Locks.with(key).ttl(..).waitTimeout(..).run(() -> ...)}.
 */
@NullMarked
package dev.concurrencysafe;

import org.jspecify.annotations.NullMarked;
