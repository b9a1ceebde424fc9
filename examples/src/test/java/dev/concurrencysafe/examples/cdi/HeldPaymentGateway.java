package dev.concurrencysafe.examples.cdi;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A payment that holds until the test releases it, so concurrent purchases really overlap. */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@Singleton
public class HeldPaymentGateway implements PaymentGateway {

  private volatile CountDownLatch release = new CountDownLatch(0);
  private volatile Runnable whileHeld = () -> {};

  void holdUntil(CountDownLatch release, Runnable whileHeld) {
    this.release = release;
    this.whileHeld = whileHeld;
  }

  @Override
  public void charge(String userId, String ticketId) {
    whileHeld.run();
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
