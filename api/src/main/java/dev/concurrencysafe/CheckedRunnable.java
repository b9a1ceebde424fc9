package dev.concurrencysafe;

/**
 * A body that returns nothing and may throw {@code E}. With a lambda that throws no checked
 * exception, {@code E} is inferred as {@link RuntimeException}, so callers need no {@code throws}.
 *
 * <p>Thread-safety: as safe as the lambda it wraps.
 *
 * @param <E> the checked exception the body may throw
 */
@FunctionalInterface
public interface CheckedRunnable<E extends Exception> {
  void run() throws E;
}
