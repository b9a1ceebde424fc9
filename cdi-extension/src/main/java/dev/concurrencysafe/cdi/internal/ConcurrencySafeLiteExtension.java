package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Stereotype;
import jakarta.enterprise.inject.build.compatible.spi.BeanInfo;
import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.ClassConfig;
import jakarta.enterprise.inject.build.compatible.spi.Enhancement;
import jakarta.enterprise.inject.build.compatible.spi.InterceptorInfo;
import jakarta.enterprise.inject.build.compatible.spi.Messages;
import jakarta.enterprise.inject.build.compatible.spi.Registration;
import jakarta.enterprise.inject.build.compatible.spi.SkipIfPortableExtensionPresent;
import jakarta.enterprise.inject.build.compatible.spi.Synthesis;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.build.compatible.spi.Validation;
import jakarta.enterprise.lang.model.AnnotationInfo;
import jakarta.enterprise.lang.model.declarations.ClassInfo;
import jakarta.enterprise.lang.model.declarations.MethodInfo;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CDI Lite front-end (Quarkus ArC): at build time it finds the beans that may use {@link
 * ConcurrencySafe} (on the class, a method, a superclass or a stereotype), applies {@code
 * concurrency-safe.interceptor-priority}, checks the interceptor is active, and synthesises the
 * {@link ConcurrencySafeRuntime} bean (and the readiness check when MP Health is present).
 * Resolution and validation run when the application starts, in {@link LiteRuntimeCreator}, through
 * the same resolver as the portable extension, because catalogs are enums whose keys are code, and
 * because per-method overrides are run-time configuration. {@link LiteLifecycle} connects and
 * disconnects. A container running the portable extension skips this one.
 *
 * <p>Thread-safety: the container calls the phases one after another, never concurrently.
 */
@SkipIfPortableExtensionPresent(ConcurrencySafeExtension.class)
public class ConcurrencySafeLiteExtension implements BuildCompatibleExtension {

  private final Set<String> beanClasses = new TreeSet<>();
  private boolean interceptorActive;

  @Enhancement(types = ConcurrencySafeInterceptor.class)
  public void prioritiseInterceptor(ClassConfig interceptor) {
    // build-time configuration: the priority is compiled into the container
    ConfigReader config = ConfigReader.load(ConfigReader.classLoader());
    GlobalSettings global =
        GlobalSettings.read(config, new Problems()); // problems: reported at start
    int priority = global.interceptorPriority();
    if (priority != GlobalSettings.DEFAULT_PRIORITY) {
      interceptor.removeAnnotation(
          annotation -> annotation.name().equals(Priority.class.getName()));
      interceptor.addAnnotation(new PriorityLiteral(priority));
    }
  }

  @Registration(types = ConcurrencySafeInterceptor.class)
  public void interceptorFound(InterceptorInfo interceptor) {
    interceptorActive = true;
  }

  @Registration(types = Object.class)
  public void collect(BeanInfo bean) {
    if (bean.isClassBean() && !bean.isSynthetic() && mayUseAnnotation(bean.declaringClass())) {
      beanClasses.add(bean.declaringClass().name());
    }
  }

  @Synthesis
  public void synthesise(SyntheticComponents components) {
    components
        .addBean(ConcurrencySafeRuntime.class)
        .type(ConcurrencySafeRuntime.class)
        .scope(Singleton.class)
        .withParam(LiteRuntimeCreator.BEAN_CLASSES, beanClasses.toArray(String[]::new))
        .createWith(LiteRuntimeCreator.class);
    HealthCheckRegistration.register(
        components, ConcurrencySafeLiteExtension.class.getClassLoader());
  }

  @Validation
  public void validate(Messages messages) {
    if (!interceptorActive && !beanClasses.isEmpty()) {
      messages.error(
          Problems.INTERCEPTOR_INACTIVE
              + " "
              + String.join(", ", beanClasses)
              + ": @ConcurrencySafe is used but its interceptor "
              + ConcurrencySafeInterceptor.class.getName()
              + " is not an active bean (excluded, e.g. by quarkus.arc.exclude-types, or its jar is not"
              + " indexed), so no lock would apply and duplicates would run; remove the exclusion");
    }
  }

  /**
   * Whether the class, a superclass, one of their methods, or a stereotype declares the binding.
   */
  private static boolean mayUseAnnotation(ClassInfo type) {
    for (ClassInfo c = type; c != null; c = c.superClassDeclaration()) {
      if (c.hasAnnotation(ConcurrencySafe.class) || stereotypeDeclares(c, new HashSet<>())) {
        return true;
      }
      for (MethodInfo method : c.methods()) {
        if (method.hasAnnotation(ConcurrencySafe.class)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean stereotypeDeclares(ClassInfo annotated, Set<String> seen) {
    for (AnnotationInfo annotation : annotated.annotations()) {
      ClassInfo declaration = annotation.declaration();
      if (!seen.add(declaration.name()) || !declaration.hasAnnotation(Stereotype.class)) {
        continue;
      }
      if (declaration.hasAnnotation(ConcurrencySafe.class)
          || stereotypeDeclares(declaration, seen)) {
        return true;
      }
    }
    return false;
  }
}
