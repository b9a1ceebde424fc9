package dev.concurrencysafe.examples.jobs;

import dev.concurrencysafe.LockManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A non-blocking caller (a reactive endpoint, a {@code CompletionStage} pipeline): issues at most
 * one invoice per order, however many requests for the order arrive at once. Duplicates wait for
 * the lock with {@code waitTimeout} <em>without a thread</em> ({@code callAsync} waits for the
 * release notification with a timer), then find the invoice the first request issued.
 *
 * <pre>{@code
 * CompletionStage<Invoice> invoice = locks.with(JobKey.INVOICE, orderId)
 *     .waitTimeout(Duration.ofSeconds(5))
 *     .callAsync(() -> existing(orderId).map(CompletableFuture::completedFuture)
 *         .orElseGet(() -> issuer.issue(orderId)));   // held until the issuer's stage completes
 * }</pre>
 *
 * <p>Every outcome arrives through the stage: the invoice, {@code ConcurrencyException} if the wait
 * ran out, {@code LockUnavailableException} if Redis is unreachable.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class AsyncInvoices {

  /** What an asynchronous invoicing backend returns (an HTTP client, a reactive driver, ...). */
  public record Invoice(String orderId, long number) {}

  private final LockManager locks;
  private final Function<String, CompletionStage<Invoice>> issuer;
  private final ConcurrentHashMap<String, Invoice> issued = new ConcurrentHashMap<>();

  public AsyncInvoices(LockManager locks, Function<String, CompletionStage<Invoice>> issuer) {
    this.locks = locks;
    this.issuer = issuer;
  }

  /** The order's invoice: issued by the first request, found by the others. */
  public CompletionStage<Invoice> invoiceFor(String orderId) {
    return locks
        .with(JobKey.INVOICE, orderId)
        .waitTimeout(Duration.ofSeconds(30))
        .callAsync(
            () -> {
              Invoice existing = issued.get(orderId); // check-then-act: safe only under the lock
              if (existing != null) {
                return CompletableFuture.completedFuture(existing);
              }
              return issuer
                  .apply(orderId)
                  .thenApply(
                      invoice -> {
                        issued.put(orderId, invoice);
                        return invoice;
                      });
            });
  }
}
