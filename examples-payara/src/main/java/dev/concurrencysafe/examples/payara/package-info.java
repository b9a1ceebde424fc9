/**
 * The Payara Micro example (a WAR for any Jakarta EE 10 server): {@code POST /purchases} guarded by {@link
 * dev.concurrencysafe.cdi.ConcurrencySafe}; a duplicate request gets HTTP 409 with the blocked
 * message.
 */
@NullMarked
package dev.concurrencysafe.examples.payara;

import org.jspecify.annotations.NullMarked;
