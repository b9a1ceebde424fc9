package dev.concurrencysafe.test;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JUnit Jupiter versions this artifact runs on, checked when its extension starts, so that an
 * unsupported Jupiter fails with a message instead of a linkage error in the middle of a test.
 *
 * <p>Thread-safety: stateless.
 */
final class JupiterVersion {

  /** The oldest Jupiter this artifact is compiled against and tested with. */
  static final String OLDEST = "5.10";

  /** The newest major version it is tested with. */
  static final int NEWEST_MAJOR = 6;

  private JupiterVersion() {}

  /** Fails when the Jupiter on the class path is older than {@link #OLDEST}. */
  static void requireSupported() {
    String running = ExtensionContext.class.getPackage().getImplementationVersion();
    String problem = problemWith(running);
    if (problem != null) {
      throw new ExtensionConfigurationException(problem);
    }
  }

  /**
   * Why {@code version} is not supported, or null when it is, or cannot be read (a repackaged jar
   * without a manifest: then the linkage itself decides).
   */
  static @Nullable String problemWith(@Nullable String version) {
    if (version == null || !version.matches("[0-9]+\\.[0-9]+.*")) {
      return null;
    }
    String[] parts = version.split("[.-]", 3);
    int major = Integer.parseInt(parts[0]);
    int minor = Integer.parseInt(parts[1]);
    if (major < 5 || (major == 5 && minor < 10)) {
      return "concurrency-safe-test needs JUnit Jupiter "
          + OLDEST
          + " to "
          + NEWEST_MAJOR
          + ".x,"
          + " but this test runs on JUnit Jupiter "
          + version
          + " (junit-jupiter-api): declare"
          + " junit-jupiter "
          + OLDEST
          + ".0 or later in your build, or import the junit-bom";
    }
    return null;
  }
}
