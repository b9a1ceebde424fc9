package dev.concurrencysafe;

import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.LockBackend;
import java.util.concurrent.CompletionStage;

/**
 * A backend that forwards every call to another one, for tests that change one operation; closing
 * it leaves the delegate open (the test closes it).
 */
class ForwardingBackend implements LockBackend {

  private final LockBackend delegate;

  ForwardingBackend(LockBackend delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletionStage<AcquireResult> tryAcquire(String key, String owner, long ttlMillis) {
    return delegate.tryAcquire(key, owner, ttlMillis);
  }

  @Override
  public CompletionStage<Boolean> renew(String key, String owner, long ttlMillis) {
    return delegate.renew(key, owner, ttlMillis);
  }

  @Override
  public CompletionStage<Boolean> release(String key, String owner, long keepMillis) {
    return delegate.release(key, owner, keepMillis);
  }

  @Override
  public CompletionStage<Subscription> subscribe(String key, Runnable onRelease) {
    return delegate.subscribe(key, onRelease);
  }

  @Override
  public CompletionStage<Void> ping() {
    return delegate.ping();
  }

  @Override
  public void close() {
    // shared: the test closes the delegate
  }
}
