package dev.concurrencysafe.spi;

/**
 * The lock store answered, but refused the operation: an ACL that lacks a permission, too few
 * replicas for {@code min-replicas-to-write}, a read-only replica after a failover. A backend
 * completes its stage with this (not a timeout, not a "held elsewhere" result) so that the engine
 * fails closed at once with the store's own words, instead of waiting out its bound or reporting a
 * duplicate. Backends must not retry a refusal: it will not go away within a caller's wait.
 *
 * <p>Thread-safety: immutable.
 */
public class StoreRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reply;

  /**
   * @param reply the store's refusal as it gave it, e.g. {@code NOREPLICAS Not enough good replicas
   *     to write.}; never credentials
   * @param hint what to check or change, for the message
   */
  public StoreRefusedException(String reply, String hint) {
    super(reply + (hint.isEmpty() ? "" : " (" + hint + ")"));
    this.reply = reply;
  }

  /** The store's refusal with the hint: never null (the store always gave a reply). */
  @Override
  public String getMessage() {
    String message = super.getMessage();
    return message == null ? reply : message;
  }

  /**
   * The store's refusal, e.g. {@code NOPERM this user has no permissions to run the 'evalsha'
   * command}.
   */
  public String reply() {
    return reply;
  }
}
