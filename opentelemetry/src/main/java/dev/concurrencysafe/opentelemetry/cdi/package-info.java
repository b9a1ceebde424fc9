/**
 * CDI / MicroProfile Telemetry integration: a producer of the lock spans' {@link
 * dev.concurrencysafe.LockInstrumentation} from the application's OpenTelemetry bean, discovered
 * through this jar's {@code beans.xml}.
 */
@NullMarked
package dev.concurrencysafe.opentelemetry.cdi;

import org.jspecify.annotations.NullMarked;
