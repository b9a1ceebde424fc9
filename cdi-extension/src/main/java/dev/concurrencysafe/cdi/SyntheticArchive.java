package dev.concurrencysafe.cdi;

import dev.concurrencysafe.cdi.internal.ConcurrencySafeExtension;
import dev.concurrencysafe.cdi.internal.ConcurrencySafeInterceptor;
import jakarta.enterprise.inject.spi.Extension;

/**
 * What to register by hand in a CDI container that does not discover bean archives (Weld SE with
 * {@code disableDiscovery()}, weld-junit's {@code WeldInitiator.from(..)}): the portable extension
 * and the interceptor. With discovery on, nothing is needed: the jar is a bean archive and declares
 * the extension as a service.
 *
 * <pre>{@code
 * new Weld().disableDiscovery()
 *     .addExtension(SyntheticArchive.extension())
 *     .addBeanClasses(SyntheticArchive.interceptor(), MyService.class)
 *     .initialize();
 * }</pre>
 *
 * <p>Thread-safety: stateless; thread-safe.
 */
public final class SyntheticArchive {

  private SyntheticArchive() {}

  /** A new instance of the portable extension (one per container). */
  public static Extension extension() {
    return new ConcurrencySafeExtension();
  }

  /** The interceptor class that binds {@link ConcurrencySafe}, to add as a bean class. */
  public static Class<?> interceptor() {
    return ConcurrencySafeInterceptor.class;
  }
}
