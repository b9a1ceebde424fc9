/**
 * What this library's own integrations (the CDI extension, the Kotlin module) share with the core
 * without reaching into {@code internal}: {@link dev.concurrencysafe.integration.ObservedCall} (a
 * lock call an integration drives), {@link dev.concurrencysafe.integration.Redaction} (no
 * credentials in messages) and {@link dev.concurrencysafe.integration.DurationLimits} (the accepted
 * durations). Not for applications: on the module path it is exported to those modules only.
 */
@NullMarked
package dev.concurrencysafe.integration;

import org.jspecify.annotations.NullMarked;
