package dev.concurrencysafe.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broken {@code @ConcurrencySafe} fails the Quarkus application's start with its {@code CSCDI}
 * id, naming the method and what to fix; the application never serves a request unlocked.
 */
class DeploymentErrorTest {

  /**
   * The broken bean: a placeholder that matches no parameter. An alternative nobody selects, so the
   * example's other tests (whose application includes the test classes) do not see it.
   */
  @Alternative
  @ApplicationScoped
  public static class BrokenRefunds {
    @ConcurrencySafe(key = "lock:refund:{orderNumber}")
    public String refund(String orderId) {
      return "refunded " + orderId;
    }
  }

  @RegisterExtension
  static final QuarkusUnitTest APP =
      UnitApps.withoutTheShop()
          .withApplicationRoot(jar -> jar.addClasses(UnitApps.class, BrokenRefunds.class))
          .overrideConfigKey("quarkus.arc.selected-alternatives", BrokenRefunds.class.getName())
          .assertException(DeploymentErrorTest::namesTheProblem);

  private static void namesTheProblem(Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    String text = trace.toString();
    assertTrue(
        text.contains(
            "CSCDI002 "
                + BrokenRefunds.class.getName()
                + "#refund: placeholder"
                + " {orderNumber} in 'lock:refund:{orderNumber}' matches no parameter; the parameters are [orderId]"),
        text);
  }

  @Test
  void theApplicationDoesNotStart() {
    fail("the application started although @ConcurrencySafe is broken");
  }
}
