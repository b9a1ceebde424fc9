/**
 * The Payara Micro example (a WAR for any Jakarta EE 10 server): the shop of {@link
 * dev.concurrencysafe.examples.shop} (in WEB-INF/lib) served at the context root; a duplicate
 * request gets HTTP 409 with the blocked message.
 */
@NullMarked
package dev.concurrencysafe.examples.payara;

import org.jspecify.annotations.NullMarked;
