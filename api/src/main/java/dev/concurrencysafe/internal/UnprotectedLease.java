package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a {@code failOpen()} spec gets while the store is unreachable: no lock, token 0, never
 * valid; closing it releases nothing and only ends the call's trace.
 *
 * <p>Thread-safety: thread-safe.
 */
final class UnprotectedLease implements Lease {

  private final String key;
  private final CallTrace trace;
  private final AtomicBoolean closed = new AtomicBoolean();

  UnprotectedLease(String key, CallTrace trace) {
    this.key = key;
    this.trace = trace;
    trace.leaseOpened();
  }

  @Override
  public String key() {
    return key;
  }

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
    if (closed.compareAndSet(false, true)) {
      trace.leaseClosed();
    }
  }
}
