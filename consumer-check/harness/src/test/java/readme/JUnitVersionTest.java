package readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestEngine;

/** This run is on the JUnit the build asked for, not on one the test kit brought along. */
class JUnitVersionTest {

  @Test
  void theProjectsJUnitIsTheOneThatRuns() {
    String expected = System.getProperty("expected.junit.version");
    assertEquals(expected, ExtensionContext.class.getPackage().getImplementationVersion(),
        "junit-jupiter-api");
    String platform = TestEngine.class.getPackage().getImplementationVersion();
    assertEquals(expected.startsWith("5.") ? "1." + expected.substring(2) : expected, platform,
        "junit-platform-engine");
  }
}
