/**
 * The backend SPI: the handful of atomic operations a lock store must offer. The engine in the core
 * builds every semantic (fail fast, waiting, renewal, reentrancy, cooldown, time bounds) on top of
 * it, so every backend behaves alike. Also what integrations share with the core without reaching
 * into {@code internal}: {@link dev.concurrencysafe.spi.Redaction} (no credentials in messages) and
 * {@link dev.concurrencysafe.spi.DurationLimits} (the accepted durations).
 */
@NullMarked
package dev.concurrencysafe.spi;

import org.jspecify.annotations.NullMarked;
