package dev.concurrencysafe.opentelemetry.cdi;

import java.util.Optional;
import java.util.ServiceConfigurationError;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads a setting from MicroProfile Config, or from system properties where the application has no
 * MP Config implementation.
 *
 * <p>Thread-safety: stateless.
 */
final class Settings {
  private Settings() {}

  /** The value of {@code key}, trimmed; empty when unset or blank. */
  static Optional<String> get(String key) {
    return raw(key).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static Optional<String> raw(String key) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      Class.forName(
          "org.eclipse.microprofile.config.ConfigProvider",
          false,
          loader == null ? Settings.class.getClassLoader() : loader);
      return MicroProfile.get(key);
    } catch (ClassNotFoundException
        | LinkageError
        | ServiceConfigurationError
        | IllegalStateException e) {
      // no MP Config API or no implementation on the class path
      return Optional.ofNullable(System.getProperty(key));
    }
  }

  /** Kept apart so that the MP Config API is linked only when it is present. */
  private static final class MicroProfile {
    static Optional<String> get(String key) {
      Config config = ConfigProvider.getConfig();
      return config.getOptionalValue(key, String.class);
    }
  }
}
