package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.cdi.KeyParam;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A lock key bound to one method's parameters: which argument (and which property of it) fills each
 * placeholder. Bound once at deployment; per call it only reads arguments and hands them to the
 * core's {@link LockKey#format}, so escaping is exactly the DSL's.
 *
 * <p>Thread-safety: immutable.
 */
final class KeyTemplate {

  private final LockKey lockKey;
  private final ArgumentPath[] paths;

  private KeyTemplate(LockKey lockKey, List<ArgumentPath> paths) {
    this.lockKey = lockKey;
    this.paths = paths.toArray(ArgumentPath[]::new);
  }

  LockKey lockKey() {
    return lockKey;
  }

  /** The arguments for {@code lockKey().format(..)}, one per placeholder, read from the call. */
  @Nullable Object[] arguments(Object[] parameters) {
    @Nullable Object[] args = new Object[paths.length];
    for (int i = 0; i < paths.length; i++) {
      args[i] = paths[i].read(parameters, lockKey.pattern());
    }
    return args;
  }

  /** A pattern given in the annotation or configuration, with the ttl the spec starts from. */
  record PatternKey(String pattern, Duration ttl) implements LockKey {}

  /**
   * Binds {@code lockKey}'s placeholders to {@code method}'s parameters, adding a message to {@code
   * problems} for each one that cannot be bound; null if any could not.
   */
  static @Nullable KeyTemplate bind(
      LockKey lockKey, BeanType.BeanMethod method, Problems problems) {
    String pattern = lockKey.pattern();
    List<String> placeholders;
    try {
      placeholders = lockKey.placeholders(); // the core's own grammar, not a copy of it
    } catch (RuntimeException e) {
      problems.add(Problems.BAD_PATTERN, "key pattern is malformed: " + e.getMessage());
      return null;
    }
    Map<String, Integer> byName = new LinkedHashMap<>();
    boolean unnamed = namesOf(method, byName);
    List<ArgumentPath> paths = new ArrayList<>();
    boolean ok = true;
    for (String placeholder : placeholders) {
      String[] segments = placeholder.split("\\.", -1);
      Integer index = byName.get(segments[0]);
      if (index == null) {
        ok = false;
        if (unnamed) {
          problems.add(
              Problems.NO_PARAMETER_NAMES,
              "placeholder {"
                  + placeholder
                  + "} in '"
                  + pattern
                  + "' cannot be matched: parameter names were not compiled in (they are arg0, arg1, ...);"
                  + " compile with -parameters or annotate the parameter with @KeyParam(\""
                  + segments[0]
                  + "\")");
        } else {
          problems.add(
              Problems.UNKNOWN_PLACEHOLDER,
              "placeholder {"
                  + placeholder
                  + "} in '"
                  + pattern
                  + "' matches no parameter; the parameters are "
                  + byName.keySet());
        }
        continue;
      }
      Class<?> type = method.javaMember().getParameterTypes()[index];
      Method[] accessors = accessors(type, segments, placeholder, pattern, problems);
      if (accessors == null) {
        ok = false;
      } else {
        paths.add(new ArgumentPath(placeholder, index, accessors));
      }
    }
    return ok ? new KeyTemplate(lockKey, paths) : null;
  }

  /**
   * The getters a placeholder's path ({@code order.customer.id}) calls after its parameter; null,
   * and a problem naming the property, if one of them does not exist.
   */
  private static Method @Nullable [] accessors(
      Class<?> parameterType,
      String[] segments,
      String placeholder,
      String pattern,
      Problems problems) {
    Class<?> type = parameterType;
    Method[] accessors = new Method[segments.length - 1];
    for (int s = 1; s < segments.length; s++) {
      Method accessor = segments[s].isEmpty() ? null : accessor(type, segments[s]);
      if (accessor == null) {
        problems.add(
            Problems.UNKNOWN_PROPERTY,
            "placeholder {"
                + placeholder
                + "} in '"
                + pattern
                + "': "
                + type.getName()
                + " has no accessible property '"
                + segments[s]
                + "' (expected a public getter get"
                + capitalize(segments[s])
                + "(), is"
                + capitalize(segments[s])
                + "() or accessor "
                + segments[s]
                + "())");
        return null;
      }
      accessors[s - 1] = accessor;
      type = accessor.getReturnType();
    }
    return accessors;
  }

  /**
   * Puts each parameter's key name ({@code @KeyParam}, else its compiled name) and position into
   * {@code byName}; true if some parameter has neither (names were not compiled in).
   */
  private static boolean namesOf(BeanType.BeanMethod method, Map<String, Integer> byName) {
    boolean unnamed = false;
    for (BeanType.BeanParameter p : method.parameters()) {
      KeyParam keyParam = p.keyParam();
      Parameter parameter = p.javaParameter();
      if (keyParam != null) {
        byName.put(keyParam.value(), p.position());
      } else if (parameter.isNamePresent()) {
        byName.put(parameter.getName(), p.position());
      } else {
        unnamed = true;
      }
    }
    return unnamed;
  }

  private static @Nullable Method accessor(Class<?> type, String property) {
    for (String name :
        List.of("get" + capitalize(property), "is" + capitalize(property), property)) {
      try {
        Method method = type.getMethod(name);
        boolean isGetter =
            !name.startsWith("is")
                || method.getReturnType() == boolean.class
                || method.getReturnType() == Boolean.class;
        if (method.getReturnType() != void.class
            && isGetter
            && !Modifier.isStatic(method.getModifiers())
            && method.trySetAccessible()) {
          return method;
        }
      } catch (NoSuchMethodException e) {
        // try the next naming convention
      }
    }
    return null;
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  /**
   * Reads one placeholder's value: a parameter, then a chain of accessors resolved at deployment.
   */
  private record ArgumentPath(String placeholder, int parameterIndex, Method[] accessors) {

    @Nullable Object read(Object[] parameters, String pattern) {
      Object value = parameters[parameterIndex];
      for (int i = 0; i < accessors.length; i++) {
        if (value == null) {
          // the core names a null argument itself; a null in the middle of a path we name here
          if (i == 0) {
            return null;
          }
          throw new IllegalArgumentException(
              "argument for {"
                  + placeholder
                  + "} in pattern '"
                  + pattern
                  + "' must not be null, but "
                  + String.join(".", Arrays.copyOf(placeholder.split("\\."), i + 1))
                  + " was null");
        }
        try {
          value = accessors[i].invoke(value);
        } catch (InvocationTargetException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException("reading {" + placeholder + "} failed", cause);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("reading {" + placeholder + "} failed", e);
        }
      }
      return value;
    }
  }
}
