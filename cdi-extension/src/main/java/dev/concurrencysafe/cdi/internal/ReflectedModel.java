package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.KeyParam;
import jakarta.enterprise.inject.Stereotype;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Describes a bean from its class alone (reflection), as CDI Lite containers and late resolution
 * need: methods of the class and its superclasses (an overridden method counts once, in the most
 * derived class, as {@code AnnotatedType#getMethods} has it), stereotypes by {@code @Stereotype}.
 *
 * <p>Thread-safety: stateless.
 */
final class ReflectedModel {

  private static final BeanType.Stereotypes STEREOTYPES =
      new BeanType.Stereotypes() {
        @Override
        public boolean isStereotype(Class<? extends Annotation> type) {
          return type.isAnnotationPresent(Stereotype.class);
        }

        @Override
        public Set<Annotation> definition(Class<? extends Annotation> stereotype) {
          return Set.of(stereotype.getAnnotations());
        }
      };

  private ReflectedModel() {}

  static BeanType of(Class<?> type) {
    List<BeanType.BeanMethod> methods = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method method : c.getDeclaredMethods()) {
        if (method.isBridge() || method.isSynthetic()) {
          continue; // javac copies annotations onto bridges; the real method is the one to bind
        }
        if (seen.add(method.getName() + Arrays.toString(method.getParameterTypes()))) {
          methods.add(describe(method));
        }
      }
    }
    return new BeanType(
        type,
        type.getAnnotation(ConcurrencySafe.class),
        List.of(type.getAnnotations()),
        List.copyOf(methods),
        STEREOTYPES);
  }

  private static BeanType.BeanMethod describe(Method method) {
    Parameter[] javaParameters = method.getParameters();
    List<BeanType.BeanParameter> parameters = new ArrayList<>(javaParameters.length);
    for (int i = 0; i < javaParameters.length; i++) {
      parameters.add(
          new BeanType.BeanParameter(
              i, javaParameters[i], javaParameters[i].getAnnotation(KeyParam.class)));
    }
    return new BeanType.BeanMethod(
        method, method.getAnnotation(ConcurrencySafe.class), List.copyOf(parameters));
  }
}
