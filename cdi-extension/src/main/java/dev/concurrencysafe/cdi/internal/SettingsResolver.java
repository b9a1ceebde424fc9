package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the effective settings of every {@link ConcurrencySafe} method of a bean, in
 * MicroProfile Fault Tolerance's override order: {@code <fqcn>/<method>/ConcurrencySafe/<member>}
 * &gt; {@code <fqcn>/ConcurrencySafe/<member>} &gt; {@code ConcurrencySafe/<member>} &gt;
 * annotation &gt; catalog &gt; global default. Adds one problem per invalid value.
 *
 * <p>Thread-safety: not thread-safe; used during deployment.
 */
final class SettingsResolver {

  private static final String ANNOTATION = "ConcurrencySafe";

  private final ConfigReader config;
  private final GlobalSettings global;
  private final Problems problems;

  SettingsResolver(ConfigReader config, GlobalSettings global, Problems problems) {
    this.config = config;
    this.global = global;
    this.problems = problems;
  }

  /**
   * The settings of each intercepted method of {@code type}, given its class-level binding (own or
   * from a stereotype, or null); problems go to the collector.
   */
  Map<Method, MethodSettings> resolve(BeanType type, @Nullable ClassBinding classBinding) {
    Map<Method, MethodSettings> result = new HashMap<>();
    ConcurrencySafe classLevel = classBinding == null ? null : classBinding.annotation();
    for (BeanType.BeanMethod method : type.methods()) {
      Method java = method.javaMember();
      ConcurrencySafe methodLevel = method.annotation();
      int modifiers = java.getModifiers();
      if (methodLevel == null
          && (classLevel == null
              || java.getDeclaringClass() == Object.class
              || java.isSynthetic()
              || Modifier.isPrivate(modifiers)
              || Modifier.isStatic(modifiers))) {
        continue;
      }
      MethodSettings settings =
          methodLevel != null
              ? resolve(type, method, methodLevel, "")
              : resolve(type, method, classBinding);
      if (settings != null) {
        result.put(java, settings);
      }
    }
    return result;
  }

  /** A method's settings from the class-level binding; null (and a problem) if it is ambiguous. */
  @Nullable MethodSettings resolve(
      BeanType type, BeanType.BeanMethod method, @Nullable ClassBinding classBinding) {
    if (classBinding == null) {
      return null;
    }
    String conflict = classBinding.conflict();
    if (conflict != null) {
      problems.at(type.javaClass().getName() + "#" + method.javaMember().getName());
      problems.add(Problems.AMBIGUOUS_STEREOTYPES, conflict);
      return null;
    }
    return resolve(type, method, classBinding.annotation(), classBinding.origin());
  }

  /** One method's settings; {@code origin} says in messages where the annotation came from. */
  @Nullable MethodSettings resolve(
      BeanType type, BeanType.BeanMethod method, ConcurrencySafe annotation, String origin) {
    Method java = method.javaMember();
    String className = type.javaClass().getName();
    String where = className + "#" + java.getName() + origin;
    problems.at(where);
    int before = problems.size();
    Overrides overrides = new Overrides(className, java.getName());

    if (disabled(overrides)) {
      return MethodSettings.disabled(where, java.getReturnType());
    }
    checkInterceptable(type, java);

    Class<?> catalog = annotation.catalog();
    Optional<Value> catalogOverride = overrides.get("catalog");
    if (catalogOverride.isPresent()) {
      catalog = loadClass(catalogOverride.get(), type, Problems.BAD_CATALOG);
    }
    String key = overrides.get("key").map(Value::text).orElse(annotation.key());
    LockKey constant =
        catalog == null || catalog == void.class
            ? null
            : CatalogConstants.find(catalog, key, problems);

    Duration ttl = duration(overrides, "ttl", annotation.ttl(), true);
    if (ttl == null) {
      ttl = constant != null && constant.ttl() != null ? constant.ttl() : global.ttl();
    }
    Duration wait = duration(overrides, "waitTimeout", annotation.waitTimeout(), false);
    Duration cooldown = duration(overrides, "cooldown", annotation.cooldown(), false);
    String blockedMessage =
        overrides
            .get("blockedMessage")
            .map(Value::text)
            .orElse(annotation.blockedMessage().isEmpty() ? null : annotation.blockedMessage());

    ExceptionFactory exception = exception(overrides, annotation, type);

    SkipResult skip = onBusy(overrides, annotation, java);

    KeyTemplate template = bindKey(catalog, key, constant, ttl, className, method);
    if (problems.size() != before || template == null) {
      return null;
    }
    return new MethodSettings(
        where,
        true,
        template,
        ttl,
        wait != null ? wait : global.waitTimeout(),
        cooldown != null ? cooldown : Duration.ZERO,
        blockedMessage,
        exception,
        java.getReturnType(),
        skip);
  }

  /** The refusal's factory, or null for the default {@link ConcurrencyException}. */
  private @Nullable ExceptionFactory exception(
      Overrides overrides, ConcurrencySafe annotation, BeanType type) {
    Class<?> exceptionType = annotation.exception();
    Optional<Value> exceptionOverride = overrides.get("exception");
    if (exceptionOverride.isPresent()) {
      exceptionType = loadClass(exceptionOverride.get(), type, Problems.BAD_EXCEPTION);
    }
    return exceptionType == null || exceptionType == ConcurrencyException.class
        ? null
        : ExceptionFactory.of(exceptionType, problems);
  }

  /** Whether configuration turned the method's lock off ({@code enabled = false}). */
  private boolean disabled(Overrides overrides) {
    Optional<Value> enabled = overrides.get("enabled");
    if (enabled.isEmpty()) {
      return false;
    }
    String text = enabled.get().text().toLowerCase(Locale.ROOT);
    if (!text.equals("false") && !text.equals("true")) {
      problems.add(
          Problems.BAD_SETTING,
          "enabled '"
              + enabled.get().text()
              + "' "
              + enabled.get().source()
              + " must be true or false");
    }
    return text.equals("false");
  }

  /** The method's key bound to its parameters; null if the catalog or the key is broken. */
  private @Nullable KeyTemplate bindKey(
      @Nullable Class<?> catalog,
      String key,
      @Nullable LockKey constant,
      Duration ttl,
      String className,
      BeanType.BeanMethod method) {
    if (catalog == null) {
      return null; // the catalog override named a class that does not exist: reported already
    }
    if (catalog == void.class) {
      String pattern = key.isEmpty() ? className + "#" + method.javaMember().getName() : key;
      return KeyTemplate.bind(new KeyTemplate.PatternKey(pattern, ttl), method, problems);
    }
    return constant == null ? null : KeyTemplate.bind(constant, method, problems);
  }

  /** The skip result of an {@code onBusy = SKIP} method; null for REFUSE or a problem. */
  private @Nullable SkipResult onBusy(
      Overrides overrides, ConcurrencySafe annotation, Method java) {
    ConcurrencySafe.OnBusy onBusy = annotation.onBusy();
    Optional<Value> override = overrides.get("onBusy");
    if (override.isPresent()) {
      try {
        onBusy =
            ConcurrencySafe.OnBusy.valueOf(override.get().text().trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(
            Problems.BAD_SETTING,
            "onBusy '"
                + override.get().text()
                + "' "
                + override.get().source()
                + " must be REFUSE or SKIP");
        return null;
      }
    }
    return onBusy == ConcurrencySafe.OnBusy.SKIP ? SkipResult.of(java, problems) : null;
  }

  private void checkInterceptable(BeanType type, Method java) {
    int modifiers = java.getModifiers();
    List<String> why = new ArrayList<>();
    if (Modifier.isPrivate(modifiers)) {
      why.add("private");
    }
    if (Modifier.isStatic(modifiers)) {
      why.add("static");
    }
    if (Modifier.isFinal(modifiers)) {
      why.add("final");
    }
    if (Modifier.isFinal(type.javaClass().getModifiers())) {
      why.add("declared in a final class");
    }
    if (!why.isEmpty()) {
      problems.add(
          Problems.NOT_INTERCEPTABLE,
          "the method is "
              + String.join(", ", why)
              + ", so the container cannot intercept it and the lock would silently not apply; make it a"
              + " non-final, non-static, non-private method of a non-final bean class");
    }
  }

  private @Nullable Class<?> loadClass(Value value, BeanType type, String problemId) {
    try {
      return Class.forName(value.text(), false, type.javaClass().getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      problems.add(problemId, "class '" + value.text() + "' " + value.source() + " was not found");
      return null;
    }
  }

  /**
   * The duration override or annotation value, parsed and range-checked; null when neither is set.
   */
  private @Nullable Duration duration(
      Overrides overrides, String member, String annotationValue, boolean positive) {
    Value value =
        overrides
            .get(member)
            .orElse(
                annotationValue.isEmpty()
                    ? null
                    : new Value(annotationValue, "(from the annotation)"));
    if (value == null) {
      return null;
    }
    try {
      return Durations.checkRange(Durations.parse(value.text()), value.text(), positive);
    } catch (IllegalArgumentException e) {
      problems.add(Problems.BAD_DURATION, member + " " + value.source() + ": " + e.getMessage());
      return null;
    }
  }

  /** A setting's text and where it came from, for messages. */
  private record Value(String text, String source) {}

  /** The three configuration levels for one method, most specific first. */
  private final class Overrides {
    private final String[] prefixes;

    Overrides(String className, String methodName) {
      prefixes =
          new String[] {
            className + "/" + methodName + "/" + ANNOTATION + "/",
            className + "/" + ANNOTATION + "/",
            ANNOTATION + "/"
          };
    }

    Optional<Value> get(String member) {
      for (String prefix : prefixes) {
        String key = prefix + member;
        Optional<String> text = config.get(key);
        if (text.isPresent()) {
          return Optional.of(new Value(text.get(), "(from config key '" + key + "')"));
        }
      }
      return Optional.empty();
    }
  }
}
