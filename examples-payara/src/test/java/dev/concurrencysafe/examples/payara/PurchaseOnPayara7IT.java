package dev.concurrencysafe.examples.payara;

import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * The same WAR, built against the Jakarta EE 10 APIs, on Payara Micro 7 (Jakarta EE 11, CDI 4.1):
 * see {@link ShopOnServerChecks} for what is proven. Payara 7 is compiled for Java 21, so this runs
 * on JDK 21 and later only.
 */
@EnabledForJreRange(
    min = JRE.JAVA_21,
    disabledReason = "Payara Micro 7 needs Java 21+ (class file 65)")
class PurchaseOnPayara7IT extends PayaraMicroChecks {

  @Override
  protected String serverName() {
    return "Payara Micro " + System.getProperty("payara7.version");
  }

  @Override
  protected String jarProperty() {
    return "payara7.jar";
  }
}
