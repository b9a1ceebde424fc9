/**
 * OpenTelemetry spans for lock calls: register {@link
 * dev.concurrencysafe.opentelemetry.LockTracing} as a {@link
 * dev.concurrencysafe.LockInstrumentation} on the lock manager (CDI applications get it with no
 * code, see {@link dev.concurrencysafe.opentelemetry.cdi}). Span names, attributes and events are
 * in {@link dev.concurrencysafe.opentelemetry.LockAttributes} and docs/observability.md.
 */
@NullMarked
package dev.concurrencysafe.opentelemetry;

import org.jspecify.annotations.NullMarked;
