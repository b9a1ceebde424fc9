package dev.concurrencysafe.examples.shop;

/**
 * Charges a user for a ticket: slow, and a double charge is what {@link TicketSales} prevents.
 *
 * <p>Thread-safety: implementations must be thread-safe.
 */
public interface PaymentGateway {

  void charge(String userId, String ticketId);
}
