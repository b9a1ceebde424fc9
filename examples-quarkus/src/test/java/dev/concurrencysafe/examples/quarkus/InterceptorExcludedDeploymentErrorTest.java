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
 * Excluding the interceptor ({@code quarkus.arc.exclude-types}) while a bean uses the annotation
 * would let duplicates run unlocked: the build fails with {@code CSCDI014} instead.
 */
class InterceptorExcludedDeploymentErrorTest {

  /** The interceptor's name, as a user would write it into quarkus.arc.exclude-types. */
  private static final String INTERCEPTOR =
      "dev.concurrencysafe.cdi.internal.ConcurrencySafeInterceptor";

  /** A valid bean; an alternative nobody selects, so the example's other tests do not see it. */
  @Alternative
  @ApplicationScoped
  public static class Rewards {
    @ConcurrencySafe(key = "lock:reward:{userId}")
    public String give(String userId) {
      return "rewarded " + userId;
    }
  }

  @RegisterExtension
  static final QuarkusUnitTest APP =
      UnitApps.withoutTheShop()
          .withApplicationRoot(jar -> jar.addClasses(UnitApps.class, Rewards.class))
          .overrideConfigKey("quarkus.arc.selected-alternatives", Rewards.class.getName())
          .overrideConfigKey("quarkus.arc.exclude-types", INTERCEPTOR)
          .assertException(InterceptorExcludedDeploymentErrorTest::namesTheProblem);

  private static void namesTheProblem(Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    String text = trace.toString();
    assertTrue(
        text.contains(
            "CSCDI014 "
                + Rewards.class.getName()
                + ": @ConcurrencySafe is used but its"
                + " interceptor "
                + INTERCEPTOR
                + " is not an active bean"),
        text);
  }

  @Test
  void theApplicationDoesNotBuild() {
    fail("the application started although its @ConcurrencySafe interceptor is excluded");
  }
}
