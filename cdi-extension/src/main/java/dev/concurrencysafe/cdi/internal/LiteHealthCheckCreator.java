package dev.concurrencysafe.cdi.internal;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;

/**
 * CDI Lite: creates the readiness check around the runtime the build-compatible extension
 * synthesised. Loaded only when the MP Health API is present.
 *
 * <p>Thread-safety: stateless.
 */
public final class LiteHealthCheckCreator
    implements SyntheticBeanCreator<ConcurrencySafeHealthCheck> {
  @Override
  public ConcurrencySafeHealthCheck create(Instance<Object> lookup, Parameters params) {
    return new ConcurrencySafeHealthCheck(lookup.select(ConcurrencySafeRuntime.class).get());
  }
}
