package dev.concurrencysafe.examples.shop;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sells tickets: one purchase of a ticket per user at a time. A concurrent identical purchase (a
 * double click, a retrying client) gets {@link dev.concurrencysafe.ConcurrencyException}, which
 * {@link ConcurrencyExceptionMapper} turns into HTTP 409.
 *
 * <p>Thread-safety: thread-safe.
 */
@ApplicationScoped
public class TicketSales {

  /** The message a duplicate request sees. */
  public static final String BLOCKED_MESSAGE =
      "Your purchase of this ticket is already being processed.";

  private final AtomicLong orders = new AtomicLong();

  @Inject PaymentGateway payments;

  /** Charges {@code userId} for {@code ticketId}; returns the new order's number. */
  @ConcurrencySafe(
      key = "lock:purchase:{userId}:{ticketId}",
      ttl = "10s",
      blockedMessage = BLOCKED_MESSAGE)
  public long purchase(String userId, String ticketId) {
    payments.charge(userId, ticketId);
    return orders.incrementAndGet();
  }
}
