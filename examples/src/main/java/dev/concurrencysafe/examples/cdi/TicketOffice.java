package dev.concurrencysafe.examples.cdi;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ticket purchase example as a CDI bean, keyed by a pattern whose placeholders bind to the
 * parameters of the same names. A concurrent purchase of the same ticket by the same user gets
 * {@link PurchaseInProgressException}; its message is overridden in {@code
 * META-INF/microprofile-config.properties}, as any member can be (per environment, say) without
 * recompiling.
 *
 * <p>Thread-safety: thread-safe.
 */
@ApplicationScoped
public class TicketOffice {

  /** What the annotation says; the shipped configuration overrides it. */
  public static final String ANNOTATED_MESSAGE = "A purchase is already in progress.";

  private final AtomicLong receipts = new AtomicLong();

  @Inject PaymentGateway payments;

  /** Charges {@code userId} for {@code ticketId} and returns the receipt number. */
  @ConcurrencySafe(
      key = "lock:purchase:{userId}:{ticketId}",
      ttl = "5s",
      exception = PurchaseInProgressException.class,
      blockedMessage = ANNOTATED_MESSAGE)
  public long purchase(String userId, String ticketId) {
    payments.charge(userId, ticketId);
    return receipts.incrementAndGet();
  }
}
