/**
 * CDI integration of concurrency-safe: put {@link dev.concurrencysafe.cdi.ConcurrencySafe} on a
 * bean method and configure the connection and defaults through MicroProfile Config ({@code
 * concurrency-safe.*}). The extension also installs its manager as {@code Locks}' default.
 */
@NullMarked
package dev.concurrencysafe.cdi;

import org.jspecify.annotations.NullMarked;
