package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A nested {@code with(sameKey)} on the thread already holding the key: shares the outer lease's
 * token and validity; closing it releases nothing (the outer lease releases) and only ends the
 * nested call's trace.
 *
 * <p>Thread-safety: thread-safe.
 */
final class JoinedLease implements Lease {

  private final Lease outer;
  private final CallTrace trace;
  private final AtomicBoolean closed = new AtomicBoolean();

  JoinedLease(Lease outer, CallTrace trace) {
    this.outer = outer;
    this.trace = trace;
    trace.leaseOpened();
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
    if (closed.compareAndSet(false, true)) {
      trace.leaseClosed();
    }
  }
}
