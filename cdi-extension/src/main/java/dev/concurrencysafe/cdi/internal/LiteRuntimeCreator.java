package dev.concurrencysafe.cdi.internal;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;
import jakarta.enterprise.inject.spi.DeploymentException;
import java.util.List;

/**
 * CDI Lite: builds the {@link ConcurrencySafeRuntime} when the application starts (runtime
 * configuration is known then), from the bean classes the build-compatible extension found at build
 * time, through the same resolver and validator the portable extension uses. Every problem fails
 * the start at once, one {@code CSCDI} line each.
 *
 * <p>Thread-safety: stateless; the container calls it once for its singleton.
 */
public final class LiteRuntimeCreator implements SyntheticBeanCreator<ConcurrencySafeRuntime> {

  /** The parameter holding the bean class names. */
  static final String BEAN_CLASSES = "beanClasses";

  @Override
  public ConcurrencySafeRuntime create(Instance<Object> lookup, Parameters params) {
    ClassLoader loader = ConfigReader.classLoader();
    ConcurrencySafeRuntime runtime = ConcurrencySafeRuntime.prepare(loader);
    for (String name : params.get(BEAN_CLASSES, String[].class)) {
      Class<?> beanClass;
      try {
        beanClass = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new DeploymentException(
            "concurrency-safe: bean class "
                + name
                + " found at build time cannot be loaded at run time: "
                + e,
            e);
      }
      runtime.register(ReflectedModel.of(beanClass));
    }
    List<String> problems = runtime.problems();
    if (!problems.isEmpty()) {
      throw new DeploymentException(
          problems.size() + " @ConcurrencySafe problem(s):\n" + String.join("\n", problems));
    }
    return runtime;
  }
}
