package dev.concurrencysafe.examples.quarkus;

import dev.concurrencysafe.examples.shop.PaymentGateway;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A payment provider that answers after {@code example.payment-delay} (default 0: no delay), as a
 * real one takes a moment: with a delay, identical purchases sent together overlap, and the
 * duplicates get 409 even when the application runs as a plain process (the process-level tests
 * start it so, with the OpenTelemetry Java agent attached).
 *
 * <p>Thread-safety: thread-safe (the delegate is; the delay is fixed at start).
 */
@Decorator
@Priority(10)
public abstract class SlowPayments implements PaymentGateway {

  @Inject @Delegate PaymentGateway delegate;

  @ConfigProperty(name = "example.payment-delay", defaultValue = "0s")
  Duration delay;

  @Override
  public void charge(String userId, String ticketId) {
    if (!delay.isZero()) {
      try {
        Thread.sleep(delay.toMillis()); // stands in for the provider's latency
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the payment provider", e);
      }
    }
    delegate.charge(userId, ticketId);
  }
}
