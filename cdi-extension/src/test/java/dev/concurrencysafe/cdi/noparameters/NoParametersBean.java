package dev.concurrencysafe.cdi.noparameters;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.KeyParam;
import jakarta.enterprise.context.ApplicationScoped;

/** Compiled WITHOUT -parameters (see the pom): its parameter names are arg0, arg1. */
@ApplicationScoped
public class NoParametersBean {

  @ConcurrencySafe(key = "lock:refund:{orderId}")
  public void refund(String orderId) {}

  /**
   * @KeyParam makes the same method valid without -parameters.
   */
  @ConcurrencySafe(key = "lock:cancel:{orderId}")
  public void cancel(@KeyParam("orderId") String orderId) {}
}
