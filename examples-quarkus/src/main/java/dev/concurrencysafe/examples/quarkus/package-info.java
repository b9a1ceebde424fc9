/**
 * The Quarkus example: {@code POST /purchases} guarded by {@link
 * dev.concurrencysafe.cdi.ConcurrencySafe}; a duplicate request gets HTTP 409 with the blocked
 * message.
 */
@NullMarked
package dev.concurrencysafe.examples.quarkus;

import org.jspecify.annotations.NullMarked;
