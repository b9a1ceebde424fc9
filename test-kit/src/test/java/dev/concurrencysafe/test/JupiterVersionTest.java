package dev.concurrencysafe.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** An unsupported Jupiter is named in a message, not met with a linkage error. */
class JupiterVersionTest {

  @Test
  void versionsFrom510To6xAreSupported() {
    for (String version :
        new String[] {"5.10.0", "5.10.3", "5.13.4", "5.14.1", "6.0.0", "6.1.3", "6.1.0-M1"}) {
      assertNull(JupiterVersion.problemWith(version), version);
    }
  }

  @Test
  void anOlderJupiterIsRefusedWithBothVersionsNamed() {
    assertEquals(
        "concurrency-safe-test needs JUnit Jupiter 5.10 to 6.x, but this test runs on"
            + " JUnit Jupiter 5.9.3 (junit-jupiter-api): declare junit-jupiter 5.10.0 or later in your"
            + " build, or import the junit-bom",
        JupiterVersion.problemWith("5.9.3"));
  }

  @Test
  void anUnreadableVersionLeavesTheDecisionToTheLinkage() {
    assertNull(JupiterVersion.problemWith(null));
    assertNull(JupiterVersion.problemWith("unknown"));
  }
}
