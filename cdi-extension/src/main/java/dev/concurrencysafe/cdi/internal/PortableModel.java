package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.KeyParam;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedParameter;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Describes a bean as a CDI Full container sees it ({@code AnnotatedType}, {@code BeanManager}'s
 * stereotypes), so annotations that other portable extensions configured are honoured.
 *
 * <p>Thread-safety: stateless.
 */
final class PortableModel {

  private PortableModel() {}

  static BeanType of(AnnotatedType<?> type, BeanManager beans) {
    List<BeanType.BeanMethod> methods = new ArrayList<>();
    for (AnnotatedMethod<?> method : type.getMethods()) {
      List<BeanType.BeanParameter> parameters = new ArrayList<>();
      for (AnnotatedParameter<?> parameter : method.getParameters()) {
        parameters.add(
            new BeanType.BeanParameter(
                parameter.getPosition(),
                parameter.getJavaParameter(),
                parameter.getAnnotation(KeyParam.class)));
      }
      methods.add(
          new BeanType.BeanMethod(
              method.getJavaMember(),
              method.getAnnotation(ConcurrencySafe.class),
              List.copyOf(parameters)));
    }
    return new BeanType(
        type.getJavaClass(),
        type.getAnnotation(ConcurrencySafe.class),
        List.copyOf(type.getAnnotations()),
        List.copyOf(methods),
        new BeanType.Stereotypes() {
          @Override
          public boolean isStereotype(Class<? extends Annotation> annotationType) {
            return beans.isStereotype(annotationType);
          }

          @Override
          public Set<Annotation> definition(Class<? extends Annotation> stereotype) {
            return beans.getStereotypeDefinition(stereotype);
          }
        });
  }
}
