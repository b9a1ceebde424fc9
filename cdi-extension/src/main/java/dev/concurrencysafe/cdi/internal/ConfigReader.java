package dev.concurrencysafe.cdi.internal;

import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads {@code concurrency-safe.*} and per-method override keys from MicroProfile Config, or, in a
 * container without an MP Config implementation, from system properties.
 *
 * <p>Thread-safety: thread-safe if the underlying config is (MP Config is).
 */
final class ConfigReader {

  private final Function<String, Optional<String>> lookup;

  private ConfigReader(Function<String, Optional<String>> lookup) {
    this.lookup = lookup;
  }

  /**
   * The application's class loader where configuration (and the Redisson config file's classes) is
   * looked up: the thread's context loader during deployment, else this library's.
   */
  static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : ConfigReader.class.getClassLoader();
  }

  static ConfigReader load(ClassLoader classLoader) {
    try {
      Class.forName("org.eclipse.microprofile.config.ConfigProvider", false, classLoader);
      return MicroProfile.reader(classLoader);
    } catch (ClassNotFoundException
        | LinkageError
        | ServiceConfigurationError
        | IllegalStateException e) {
      // no MP Config API or no implementation on the class path
      return new ConfigReader(key -> Optional.ofNullable(System.getProperty(key)));
    }
  }

  /** The value of {@code key}, trimmed; empty when unset or blank (MP Config's "missing"). */
  Optional<String> get(String key) {
    return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
  }

  /** Kept in a nested class so the MP Config API is only linked when it is present. */
  private static final class MicroProfile {
    static ConfigReader reader(ClassLoader classLoader) {
      org.eclipse.microprofile.config.Config config = ConfigProvider.getConfig(classLoader);
      return new ConfigReader(key -> config.getOptionalValue(key, String.class));
    }
  }
}
