package dev.concurrencysafe.cdi.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;

/**
 * Adds the readiness check as a bean only when the MicroProfile Health API is visible to the
 * extension's class loader (the loader that would link the check). The check class is named only
 * inside {@link #register} after that test, so an application without MP Health never loads it.
 *
 * <p>Thread-safety: stateless.
 */
final class HealthCheckRegistration {

  static final String HEALTH_CHECK_API = "org.eclipse.microprofile.health.HealthCheck";

  private HealthCheckRegistration() {}

  /** Whether {@code loader} can load the MP Health API. */
  static boolean apiPresent(ClassLoader loader) {
    try {
      Class.forName(HEALTH_CHECK_API, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Registers the check if the API is present; returns whether it did. */
  static boolean register(BeforeBeanDiscovery event, ClassLoader loader) {
    if (!apiPresent(loader)) {
      return false;
    }
    event.addAnnotatedType(ConcurrencySafeHealthCheck.class, ConcurrencySafeHealthCheck.class.getName())
        .add(ApplicationScoped.Literal.INSTANCE);
    return true;
  }
}
