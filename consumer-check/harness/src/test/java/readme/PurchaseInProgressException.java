package readme;

/** The annotation block's exception (the application's own): a public (String message) constructor. */
public class PurchaseInProgressException extends RuntimeException {
  public PurchaseInProgressException(String message) {
    super(message);
  }
}
