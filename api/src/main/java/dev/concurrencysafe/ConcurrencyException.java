package dev.concurrencysafe;

/**
 * Thrown by default when a lock is held by someone else and could not be acquired within the wait
 * timeout: the request is a duplicate. Its message is the spec's blocked message, meant to be shown
 * to the user ("Please try again in a moment.").
 *
 * <p>Never thrown when Redis is unreachable; that is {@link LockUnavailableException}.
 *
 * <p>Thread-safety: immutable.
 */
public class ConcurrencyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ConcurrencyException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The lock key that was held by someone else. */
  public String key() {
    return key;
  }
}
