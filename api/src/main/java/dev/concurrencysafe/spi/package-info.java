/**
 * The service provider interface: what a user implements. A lock store ({@link
 * dev.concurrencysafe.spi.LockBackend}: the handful of atomic operations a store must offer, its
 * {@link dev.concurrencysafe.spi.AcquireResult} and {@link
 * dev.concurrencysafe.spi.StoreRefusedException}); the engine in the core builds every semantic
 * (fail fast, waiting, renewal, reentrancy, cooldown, time bounds) on top of it, so every backend
 * behaves alike. And {@link dev.concurrencysafe.spi.HealthProbe}, which an application's own {@code
 * LockManager} implements to be asked by health checks (the library's managers do).
 */
@NullMarked
package dev.concurrencysafe.spi;

import org.jspecify.annotations.NullMarked;
