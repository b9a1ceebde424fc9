package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;

/**
 * A nested {@code with(sameKey)} on the thread already holding the key: shares the outer lease's
 * token and validity; closing it does nothing (the outer lease releases).
 *
 * <p>Thread-safety: thread-safe.
 */
final class JoinedLease implements Lease {

  private final Lease outer;

  JoinedLease(Lease outer) {
    this.outer = outer;
  }

  @Override
  public String key() {
    return outer.key();
  }

  @Override
  public long fencingToken() {
    return outer.fencingToken();
  }

  @Override
  public boolean isValid() {
    return outer.isValid();
  }

  @Override
  public void close() {
    // the outer lease owns the lock
  }
}
