package dev.concurrencysafe.cdi.frontends;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

/**
 * The test class path with some of concurrency-safe-cdi's service files hidden, as a container that
 * does not load an extension sees it (one class path cannot lack a file and have it).
 *
 * <p>Thread-safety: immutable.
 */
final class ServiceFilter extends ClassLoader {

  static final String PORTABLE = "META-INF/services/jakarta.enterprise.inject.spi.Extension";
  static final String BUILD_COMPATIBLE =
      "META-INF/services/jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension";

  private final Set<String> hidden;

  ServiceFilter(String... hidden) {
    super(ServiceFilter.class.getClassLoader());
    this.hidden = Set.of(hidden);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return hidden.contains(name) ? Collections.emptyEnumeration() : super.getResources(name);
  }

  @Override
  public URL getResource(String name) {
    return hidden.contains(name) ? null : super.getResource(name);
  }
}
