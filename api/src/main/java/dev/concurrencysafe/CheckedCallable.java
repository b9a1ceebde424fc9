package dev.concurrencysafe;

import org.jspecify.annotations.Nullable;

/**
 * A body that returns a value and may throw {@code E}. With a lambda that throws no checked
 * exception, {@code E} is inferred as {@link RuntimeException}, so callers need no {@code throws}.
 *
 * <p>Thread-safety: as safe as the lambda it wraps.
 *
 * @param <T> the result type (may be nullable)
 * @param <E> the checked exception the body may throw
 */
@FunctionalInterface
public interface CheckedCallable<T extends @Nullable Object, E extends Exception> {
  T call() throws E;
}
