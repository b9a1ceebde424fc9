/**
 * The CDI example on Weld SE: {@link dev.concurrencysafe.cdi.ConcurrencySafe} on bean methods, with
 * a key pattern and with a catalog constant, a custom exception, and overrides in {@code
 * META-INF/microprofile-config.properties}.
 */
@NullMarked
package dev.concurrencysafe.examples.cdi;

import org.jspecify.annotations.NullMarked;
