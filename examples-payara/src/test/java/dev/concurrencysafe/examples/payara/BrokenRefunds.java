package dev.concurrencysafe.examples.payara;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A broken {@code @ConcurrencySafe}: its placeholder matches no parameter. Only the broken test WAR
 * holds it (see {@link TestWars#broken}); its deployment must fail with {@code CSCDI002}.
 *
 * <p>Thread-safety: stateless.
 */
@ApplicationScoped
public class BrokenRefunds {

  /** The problem the deployment must report, with its id, the method and the parameters. */
  public static final String PROBLEM =
      "CSCDI002 "
          + BrokenRefunds.class.getName()
          + "#refund: placeholder"
          + " {orderNumber} in 'lock:refund:{orderNumber}' matches no parameter; the parameters are [orderId]";

  @ConcurrencySafe(key = "lock:refund:{orderNumber}")
  public String refund(String orderId) {
    return "refunded " + orderId;
  }
}
