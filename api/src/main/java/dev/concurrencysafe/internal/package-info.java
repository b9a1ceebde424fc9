/**
 * Internals: the lock engine and its backends. Not API: may change in any release; never import it
 * from other modules (they use {@code dev.concurrencysafe} and {@code dev.concurrencysafe.spi}).
 */
@NullMarked
package dev.concurrencysafe.internal;

import org.jspecify.annotations.NullMarked;
