package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.KeyParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A bean class as the shared resolver sees it, whichever container front-end described it: the
 * portable extension builds it from the container's {@code AnnotatedType} (so annotations other
 * extensions added or removed count), the build-compatible one from the class itself.
 *
 * <p>Thread-safety: immutable.
 *
 * @param javaClass the bean class
 * @param annotation its class-level {@code @ConcurrencySafe} (declared or {@code @Inherited}), or
 *     null
 * @param annotations every annotation of the class, for the stereotype walk
 * @param methods its methods, inherited ones included (as {@code AnnotatedType#getMethods})
 * @param stereotypes how the container defines stereotypes
 */
record BeanType(
    Class<?> javaClass,
    @Nullable ConcurrencySafe annotation,
    List<Annotation> annotations,
    List<BeanMethod> methods,
    Stereotypes stereotypes) {

  /** One method: its own {@code @ConcurrencySafe} and its parameters. */
  record BeanMethod(
      Method javaMember, @Nullable ConcurrencySafe annotation, List<BeanParameter> parameters) {}

  /** One parameter: its position, reflection handle and {@code @KeyParam}. */
  record BeanParameter(int position, Parameter javaParameter, @Nullable KeyParam keyParam) {}

  /** Which annotations are stereotypes and what they declare. */
  interface Stereotypes {
    boolean isStereotype(Class<? extends Annotation> type);

    Set<Annotation> definition(Class<? extends Annotation> stereotype);
  }

  /** Whether the class or any of its methods carries the annotation itself. */
  boolean annotatedDirectly() {
    if (annotation != null) {
      return true;
    }
    for (BeanMethod method : methods) {
      if (method.annotation() != null) {
        return true;
      }
    }
    return false;
  }
}
