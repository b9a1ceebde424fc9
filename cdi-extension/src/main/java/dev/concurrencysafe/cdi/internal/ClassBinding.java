package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A bean class's own {@link ConcurrencySafe} (declared or inherited), else the one its stereotypes
 * declare, directly or through other stereotypes. The class's own annotation wins; stereotypes
 * declaring different settings are a definition problem, since no order between them is defined.
 *
 * <p>Thread-safety: immutable.
 *
 * @param annotation the class-level annotation
 * @param stereotype the stereotype that declares it, or null when the class does
 */
record ClassBinding(ConcurrencySafe annotation, @Nullable Class<? extends Annotation> stereotype) {

  /** Appended to {@code Class#method} in messages: where the settings come from. */
  String origin() {
    return stereotype == null ? "" : " (through @" + stereotype.getName() + ")";
  }

  /** The class-level binding of {@code type}, or null if it has none (or an ambiguous one). */
  static @Nullable ClassBinding of(AnnotatedType<?> type, BeanManager beans, Problems problems) {
    ConcurrencySafe own = type.getAnnotation(ConcurrencySafe.class);
    if (own != null) {
      return new ClassBinding(own, null);
    }
    Map<Class<? extends Annotation>, ConcurrencySafe> declaring = new LinkedHashMap<>();
    Set<Class<? extends Annotation>> seen = new HashSet<>();
    for (Annotation annotation : type.getAnnotations()) {
      collect(annotation.annotationType(), beans, seen, declaring);
    }
    if (declaring.isEmpty()) {
      return null;
    }
    if (declaring.values().stream().distinct().count() > 1) {
      List<String> names = new ArrayList<>();
      declaring.keySet().forEach(stereotype -> names.add("@" + stereotype.getName()));
      problems.at(type.getJavaClass().getName());
      problems.add(Problems.AMBIGUOUS_STEREOTYPES, "@ConcurrencySafe comes from stereotypes with"
          + " different settings: " + String.join(", ", names) + "; declare @ConcurrencySafe on the"
          + " class itself to choose");
      return null;
    }
    var first = declaring.entrySet().iterator().next();
    return new ClassBinding(first.getValue(), first.getKey());
  }

  private static void collect(Class<? extends Annotation> candidate, BeanManager beans,
      Set<Class<? extends Annotation>> seen, Map<Class<? extends Annotation>, ConcurrencySafe> declaring) {
    if (!seen.add(candidate) || !beans.isStereotype(candidate)) {
      return;
    }
    for (Annotation meta : beans.getStereotypeDefinition(candidate)) {
      if (meta instanceof ConcurrencySafe binding) {
        declaring.put(candidate, binding);
      } else {
        collect(meta.annotationType(), beans, seen, declaring);
      }
    }
  }
}
