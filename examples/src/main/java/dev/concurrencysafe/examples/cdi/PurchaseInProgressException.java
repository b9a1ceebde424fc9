package dev.concurrencysafe.examples.cdi;

/**
 * The application's "blocked" exception for purchases (the naive helper's {@code exception_cls}); a
 * web layer maps it to HTTP 409. {@code @ConcurrencySafe} builds it from its {@code (String
 * message)} constructor.
 *
 * <p>Thread-safety: immutable.
 */
public class PurchaseInProgressException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PurchaseInProgressException(String message) {
    super(message);
  }
}
