package dev.concurrencysafe.examples.shop;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The default {@link PaymentGateway}: stands in for a payment provider's API.
 *
 * <p>Thread-safety: stateless.
 */
@ApplicationScoped
public class CardPaymentGateway implements PaymentGateway {

  @Override
  public void charge(String userId, String ticketId) {
    // A real application calls its payment provider here.
  }
}
