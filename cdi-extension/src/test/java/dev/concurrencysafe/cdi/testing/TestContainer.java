package dev.concurrencysafe.cdi.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.concurrencysafe.cdi.internal.ConcurrencySafeExtension;
import dev.concurrencysafe.cdi.internal.ConcurrencySafeInterceptor;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * A Weld SE container without discovery: exactly the given bean classes, the interceptor, the
 * extension, and its own MicroProfile Config built from a map, so each test sees only its own
 * settings.
 *
 * <p>Thread-safety: not thread-safe; one per test.
 */
public final class TestContainer implements AutoCloseable {

  private final WeldContainer weld;
  private final Config config;

  private TestContainer(WeldContainer weld, Config config) {
    this.weld = weld;
    this.config = config;
  }

  /** Starts a container; the config is released again if the deployment fails. */
  public static TestContainer start(Map<String, String> settings, Class<?>... beanClasses) {
    return start(new ConcurrencySafeExtension(), settings, beanClasses);
  }

  /** {@link #start(Map, Class[])} with a given extension instance (a test seam's constructor). */
  public static TestContainer start(
      ConcurrencySafeExtension extension, Map<String, String> settings, Class<?>... beanClasses) {
    Config config = installConfig(settings);
    try {
      Weld weld =
          new Weld(UUID.randomUUID().toString())
              .disableDiscovery()
              .addExtension(extension)
              .addBeanClass(ConcurrencySafeInterceptor.class)
              .addBeanClasses(beanClasses);
      return new TestContainer(weld.initialize(), config);
    } catch (RuntimeException | Error e) {
      releaseConfig(config);
      throw e;
    }
  }

  /** The MicroProfile Config the extension reads (registered for the context class loader). */
  public static Config installConfig(Map<String, String> settings) {
    ConfigProviderResolver resolver = ConfigProviderResolver.instance();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Config config =
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(settings, "test", 500))
            .build();
    try {
      resolver.registerConfig(config, loader);
    } catch (IllegalStateException alreadyRegistered) {
      resolver.releaseConfig(resolver.getConfig(loader));
      resolver.registerConfig(config, loader);
    }
    return config;
  }

  public static void releaseConfig(Config config) {
    ConfigProviderResolver.instance().releaseConfig(config);
  }

  /** Starts a container that must fail to deploy, and returns why (closing it if it started). */
  public static RuntimeException deploymentFailure(
      Map<String, String> settings, Class<?>... beanClasses) {
    return assertThrows(
        RuntimeException.class,
        () -> start(settings, beanClasses).close(),
        "the deployment should have failed");
  }

  /**
   * The failure with its causes and suppressed exceptions, as printed: every message it carries.
   */
  public static String text(Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }

  public <T> T bean(Class<T> type) {
    return weld.select(type).get();
  }

  public WeldContainer weld() {
    return weld;
  }

  @Override
  public void close() {
    try {
      weld.shutdown();
    } finally {
      releaseConfig(config);
    }
  }
}
