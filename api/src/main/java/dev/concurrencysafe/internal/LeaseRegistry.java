package dev.concurrencysafe.internal;

/**
 * The manager's registry of open leases ({@link LockEngine}): once closed, the manager shuts down
 * after the last lease finished its release.
 */
interface LeaseRegistry {

  /** Records an open lease; false if the manager was closed meanwhile. */
  boolean opened(LeaseImpl lease);

  /** The lease finished its release (or gave it up). */
  void closed(LeaseImpl lease);
}
