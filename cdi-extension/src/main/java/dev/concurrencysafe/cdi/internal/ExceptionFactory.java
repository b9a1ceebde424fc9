package dev.concurrencysafe.cdi.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Builds a user's "blocked" exception from its public {@code (String message)} constructor,
 * resolved once at deployment.
 *
 * <p>Thread-safety: immutable.
 */
final class ExceptionFactory implements Function<String, RuntimeException> {

  private final Constructor<? extends RuntimeException> constructor;

  private ExceptionFactory(Constructor<? extends RuntimeException> constructor) {
    this.constructor = constructor;
  }

  /** The factory for {@code type}, or null after adding a problem saying why it cannot be built. */
  static @Nullable ExceptionFactory of(Class<?> type, Problems problems) {
    if (!RuntimeException.class.isAssignableFrom(type)) {
      problems.add(
          Problems.BAD_EXCEPTION,
          "exception "
              + type.getName()
              + " must be a RuntimeException subclass with a public (String message) constructor");
      return null;
    }
    if (Modifier.isAbstract(type.getModifiers())) {
      problems.add(
          Problems.BAD_EXCEPTION,
          "exception "
              + type.getName()
              + " is abstract; expected a concrete class with a public (String message) constructor");
      return null;
    }
    try {
      @SuppressWarnings("unchecked")
      Constructor<? extends RuntimeException> constructor =
          (Constructor<? extends RuntimeException>) type.getConstructor(String.class);
      if (!constructor.trySetAccessible()) {
        problems.add(
            Problems.BAD_EXCEPTION,
            "exception "
                + type.getName()
                + "'s (String message) constructor is not accessible (is the class public and its package"
                + " open?)");
        return null;
      }
      return new ExceptionFactory(constructor);
    } catch (NoSuchMethodException e) {
      problems.add(
          Problems.BAD_EXCEPTION,
          "exception "
              + type.getName()
              + " has no public (String message) constructor; add one, it receives the blocked message");
      return null;
    }
  }

  @Override
  public RuntimeException apply(String message) {
    try {
      return constructor.newInstance(message);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("the constructor " + constructor + " threw", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("could not call " + constructor, e);
    }
  }
}
