package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Every intercepted method's settings, resolved at deployment: by method alone, or, for a method
 * inherited by several beans, by bean class. A method no front-end announced (a rare
 * container-specific path) is resolved from its class on its first call, once, with the same
 * validation.
 *
 * <p>Thread-safety: {@link #record} is called during deployment by one thread at a time (callers
 * synchronise); {@link #settings} is safe from any thread afterwards.
 */
final class MethodRegistry {

  /** Settings by method; the common case, one bean class per method. */
  private final Map<Method, MethodSettings> settings = new ConcurrentHashMap<>();

  /** Methods inherited by several bean classes, each with its own settings, by bean class. */
  private final Map<Method, Map<Class<?>, MethodSettings>> inherited = new ConcurrentHashMap<>();

  /** Methods whose late resolution failed, so a broken method costs the resolution only once. */
  private final Map<Method, IllegalStateException> lateFailures = new ConcurrentHashMap<>();

  /** Deployment only: which bean class a method in {@link #settings} was resolved for. */
  private final Map<Method, Class<?>> resolvedFor = new HashMap<>();

  /** A resolver reporting to the given collector, for late resolution. */
  private final Function<Problems, SettingsResolver> resolvers;

  private volatile boolean deployed;

  MethodRegistry(Function<Problems, SettingsResolver> resolvers) {
    this.resolvers = resolvers;
  }

  void record(Class<?> beanClass, Method method, MethodSettings resolved) {
    Map<Class<?>, MethodSettings> byBean = inherited.get(method);
    if (byBean != null) {
      byBean.put(beanClass, resolved);
      return;
    }
    Class<?> first = resolvedFor.putIfAbsent(method, beanClass);
    if (first == null || first == beanClass) {
      settings.put(method, resolved);
      return;
    }
    byBean = new ConcurrentHashMap<>();
    byBean.put(first, settings.remove(method));
    byBean.put(beanClass, resolved);
    inherited.put(method, byBean);
  }

  /**
   * From now on late resolution failures are final (before, the deployment may still be going on).
   */
  void deploymentEnded() {
    deployed = true;
  }

  int size() {
    return settings.size() + inherited.values().stream().mapToInt(Map::size).sum();
  }

  /** The settings for a call of {@code method} on {@code target} (the container's subclass). */
  MethodSettings settings(Method method, Object target) {
    MethodSettings resolved = settings.get(method);
    if (resolved != null) {
      return resolved;
    }
    Map<Class<?>, MethodSettings> byBean = inherited.get(method);
    if (byBean != null) {
      for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
        resolved = byBean.get(type);
        if (resolved != null) {
          return resolved;
        }
      }
    }
    IllegalStateException unresolvable = lateFailures.get(method);
    if (unresolvable != null) {
      throw unresolvable; // resolved (and failed) once: no reflection and validation per call
    }
    try {
      return settings.computeIfAbsent(method, this::resolveLate);
    } catch (IllegalStateException e) {
      if (deployed) {
        lateFailures.putIfAbsent(method, e);
      }
      throw e;
    }
  }

  private MethodSettings resolveLate(Method method) {
    if (!deployed) {
      throw new IllegalStateException(
          "concurrency-safe: " + method + " called before deployment ended");
    }
    BeanType type = ReflectedModel.of(method.getDeclaringClass());
    Problems late = new Problems();
    SettingsResolver resolver = resolvers.apply(late);
    for (BeanType.BeanMethod candidate : type.methods()) {
      if (candidate.javaMember().equals(method)) {
        ConcurrencySafe own = candidate.annotation();
        MethodSettings resolved =
            own != null
                ? resolver.resolve(type, candidate, own, "")
                : resolver.resolve(type, candidate, ClassBinding.of(type));
        if (resolved != null) {
          return resolved;
        }
      }
    }
    throw new IllegalStateException(
        late.size() == 0
            ? "concurrency-safe: no @ConcurrencySafe settings for " + method
            : String.join("; ", late.messages()));
  }
}
