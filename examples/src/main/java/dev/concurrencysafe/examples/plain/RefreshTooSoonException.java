package dev.concurrencysafe.examples.plain;

/**
 * The application's own "blocked" exception (the naive helper's {@code exception_cls}): a
 * validation error shown to the user, e.g. mapped to HTTP 429 by a web layer.
 *
 * <p>Thread-safety: immutable.
 */
public final class RefreshTooSoonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RefreshTooSoonException(String message) {
    super(message);
  }
}
