/**
 * The Helidon MP example: {@code POST /purchases} guarded by {@link
 * dev.concurrencysafe.cdi.ConcurrencySafe}; a duplicate request gets HTTP 409 with the blocked
 * message.
 */
@NullMarked
package dev.concurrencysafe.examples.helidon;

import org.jspecify.annotations.NullMarked;
