/**
 * Plain Java examples: a {@link dev.concurrencysafe.LockKey} catalog, a {@link
 * dev.concurrencysafe.LockManager} over Redisson installed as the default, the {@code
 * Locks.with(..)} DSL and try-with-resources leases.
 */
@NullMarked
package dev.concurrencysafe.examples.plain;

import org.jspecify.annotations.NullMarked;
