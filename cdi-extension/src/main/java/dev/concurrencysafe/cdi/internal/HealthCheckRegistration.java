package dev.concurrencysafe.cdi.internal;

import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.literal.SingletonLiteral;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.inject.Singleton;

/**
 * Adds the readiness check as a bean only when the MicroProfile Health API is visible to the
 * extension's class loader (the loader that would link the check): as an annotated type on CDI
 * Full, as a synthetic bean on CDI Lite. The check class is named only inside the registering
 * methods, after that test, so an application without MP Health never loads it.
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

  /** CDI Full: registers the check if the API is present; returns whether it did. */
  static boolean register(BeforeBeanDiscovery event, ClassLoader loader) {
    if (!apiPresent(loader)) {
      return false;
    }
    event
        .addAnnotatedType(
            ConcurrencySafeHealthCheck.class, ConcurrencySafeHealthCheck.class.getName())
        .add(SingletonLiteral.INSTANCE);
    return true;
  }

  /**
   * CDI Lite: registers the check as a synthetic {@code @Readiness HealthCheck} if the API is
   * present.
   */
  static boolean register(SyntheticComponents components, ClassLoader loader) {
    if (!apiPresent(loader)) {
      return false;
    }
    Lite.register(components);
    return true;
  }

  /** Names the MP Health types; loaded only once the API is known to be there. */
  private static final class Lite {
    static void register(SyntheticComponents components) {
      components
          .addBean(ConcurrencySafeHealthCheck.class)
          .type(org.eclipse.microprofile.health.HealthCheck.class)
          .type(ConcurrencySafeHealthCheck.class)
          .qualifier(org.eclipse.microprofile.health.Readiness.Literal.INSTANCE)
          .scope(Singleton.class)
          .createWith(LiteHealthCheckCreator.class);
    }
  }
}
