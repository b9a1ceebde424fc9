package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;

/**
 * What a {@code failOpen()} spec gets while the store is unreachable: no lock, token 0, never valid.
 *
 * <p>Thread-safety: immutable.
 */
record UnprotectedLease(String key) implements Lease {

  @Override
  public long fencingToken() {
    return 0;
  }

  @Override
  public boolean isValid() {
    return false;
  }

  @Override
  public void close() {
    // nothing was acquired
  }
}
