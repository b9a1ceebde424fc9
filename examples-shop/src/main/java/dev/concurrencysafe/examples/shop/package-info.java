/**
 * The ticket shop that the Helidon MP, Quarkus and Payara Micro examples serve: {@code POST
 * /purchases} guarded by {@link dev.concurrencysafe.cdi.ConcurrencySafe}; a duplicate request gets
 * HTTP 409 with the blocked message. Plain Jakarta REST and CDI: each runtime module brings its own
 * implementation of both and only its configuration and packaging.
 */
@NullMarked
package dev.concurrencysafe.examples.shop;

import org.jspecify.annotations.NullMarked;
