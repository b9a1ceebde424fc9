package readme;

import dev.concurrencysafe.LockManager;

/** What the README's test-kit block tests: a checkout that takes the order's lock. */
class Checkout {
  private final LockManager locks;

  Checkout(LockManager locks) {
    this.locks = locks;
  }

  void submit(int orderId) {
    locks.with("lock:checkout:" + orderId).run(() -> { });
  }
}
