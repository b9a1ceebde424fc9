/**
 * Micrometer meters for lock events: register a {@link dev.concurrencysafe.micrometer.LockMetrics}
 * as a {@link dev.concurrencysafe.LockListener} on the lock manager. Meter names and tags are
 * documented in the module's README.
 */
@NullMarked
package dev.concurrencysafe.micrometer;

import org.jspecify.annotations.NullMarked;
