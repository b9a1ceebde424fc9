package dev.concurrencysafe.examples.shop.testing;

import dev.concurrencysafe.examples.shop.PaymentGateway;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Replaces the payment in tests that run in the server's JVM: holds the charge (and so the request
 * body) until the test releases it, so concurrent identical requests really overlap on the server.
 *
 * <p>Thread-safety: thread-safe; {@link #holdUntil} applies to the charges that start after it.
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class HeldPaymentGateway implements PaymentGateway {

  private volatile CountDownLatch release = new CountDownLatch(0);
  private volatile CountDownLatch entered = new CountDownLatch(0);

  /** Charges from now on signal {@code entered} and wait for {@code release}. */
  public void holdUntil(CountDownLatch release, CountDownLatch entered) {
    this.release = release;
    this.entered = entered;
  }

  @Override
  public void charge(String userId, String ticketId) {
    entered.countDown();
    try {
      release.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
