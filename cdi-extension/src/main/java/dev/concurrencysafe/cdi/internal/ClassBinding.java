package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The class-level {@link ConcurrencySafe} of a bean, nearest declaration first: the one on the bean
 * class itself, else the one its stereotypes declare (a stereotype's own before one it inherits
 * from a nested stereotype), else one inherited from a superclass. Stereotypes at the same distance
 * declaring different settings are a conflict, reported for the methods that would use them.
 *
 * <p>Thread-safety: immutable.
 *
 * @param annotation the class-level annotation (with a conflict: one of the candidates)
 * @param stereotype the stereotype that declares it, or null when the class (or a superclass) does
 * @param conflict why the binding is ambiguous, or null
 */
record ClassBinding(
    ConcurrencySafe annotation,
    @Nullable Class<? extends Annotation> stereotype,
    @Nullable String conflict) {

  /** Appended to {@code Class#method} in messages: where the settings come from. */
  String origin() {
    return stereotype == null ? "" : " (through @" + stereotype.getName() + ")";
  }

  /** The class-level binding of {@code type}, or null if it has none. */
  static @Nullable ClassBinding of(BeanType type) {
    ConcurrencySafe onType = type.annotation();
    if (onType != null && !inheritedFromSuperclass(type.javaClass(), onType)) {
      return new ClassBinding(onType, null, null);
    }
    ClassBinding fromStereotypes = fromStereotypes(type);
    if (fromStereotypes != null) {
      return fromStereotypes;
    }
    return onType == null ? null : new ClassBinding(onType, null, null);
  }

  /** Whether the annotation is only there through {@code @Inherited} (not declared, not added). */
  private static boolean inheritedFromSuperclass(Class<?> type, ConcurrencySafe annotation) {
    return type.getDeclaredAnnotation(ConcurrencySafe.class) == null
        && annotation.equals(type.getAnnotation(ConcurrencySafe.class));
  }

  private static @Nullable ClassBinding fromStereotypes(BeanType type) {
    Set<Class<? extends Annotation>> seen = new HashSet<>();
    List<Class<? extends Annotation>> level = new ArrayList<>();
    for (Annotation annotation : type.annotations()) {
      level.add(annotation.annotationType());
    }
    while (!level.isEmpty()) {
      // sorted by name: which of several equal declarations messages name does not vary by run
      Map<Class<? extends Annotation>, ConcurrencySafe> declaring =
          new TreeMap<>(Comparator.comparing(Class::getName));
      List<Class<? extends Annotation>> next = new ArrayList<>();
      for (Class<? extends Annotation> candidate : level) {
        if (!seen.add(candidate) || !type.stereotypes().isStereotype(candidate)) {
          continue;
        }
        for (Annotation meta : type.stereotypes().definition(candidate)) {
          if (meta instanceof ConcurrencySafe binding) {
            declaring.put(candidate, binding);
          } else {
            next.add(meta.annotationType());
          }
        }
      }
      if (!declaring.isEmpty()) {
        var first = declaring.entrySet().iterator().next();
        return new ClassBinding(first.getValue(), first.getKey(), conflict(declaring));
      }
      level = next;
    }
    return null;
  }

  private static @Nullable String conflict(
      Map<Class<? extends Annotation>, ConcurrencySafe> declaring) {
    if (declaring.values().stream().distinct().count() < 2) {
      return null;
    }
    List<String> names = new ArrayList<>();
    declaring.keySet().forEach(stereotype -> names.add("@" + stereotype.getName()));
    return "@ConcurrencySafe comes from stereotypes with different settings: "
        + String.join(", ", names)
        + "; declare @ConcurrencySafe on the class or the method to choose";
  }
}
