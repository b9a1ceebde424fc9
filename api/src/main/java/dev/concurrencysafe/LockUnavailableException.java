package dev.concurrencysafe;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the lock store (Redis) could not be reached or did not answer within the manager's
 * unavailable timeout. The body did not run. This is never a "duplicate request" signal: it means
 * the protection could not be established, so the library failed closed.
 *
 * <p>Thread-safety: immutable.
 */
public class LockUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public LockUnavailableException(String key, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /** The lock key whose state could not be read or written. */
  public String key() {
    return key;
  }
}
