package dev.concurrencysafe.examples.payara;

/**
 * The example's WAR on Payara Micro 6 (Jakarta EE 10, Weld): the portable extension prepares the
 * interceptor there; see {@link ShopOnServerChecks} for what is proven.
 */
class PurchaseOnPayara6IT extends PayaraMicroChecks {

  @Override
  protected String serverName() {
    return "Payara Micro " + System.getProperty("payara6.version");
  }

  @Override
  protected String jarProperty() {
    return "payara6.jar";
  }
}
