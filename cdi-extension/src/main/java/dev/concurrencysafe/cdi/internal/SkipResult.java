package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code onBusy = SKIP} method returns when it did not run, decided from its declared return
 * type at deployment: nothing ({@code void}), {@code Optional.empty()}, or a completed stage of
 * {@code null} ({@code CompletionStage<Void>}) or of {@code Optional.empty()} ({@code
 * CompletionStage<Optional<T>>}). Every other return type cannot say "did not run" and is {@link
 * Problems#SKIP_RETURN_TYPE}; see {@link ConcurrencySafe.OnBusy#SKIP} for why {@code boolean} is
 * one of them.
 *
 * <p>Thread-safety: immutable.
 */
enum SkipResult {
  NOTHING,
  EMPTY_OPTIONAL,
  STAGE_OF_NULL,
  STAGE_OF_EMPTY_OPTIONAL;

  /** The value a skipped call returns. */
  @Nullable Object value() {
    return switch (this) {
      case NOTHING -> null;
      case EMPTY_OPTIONAL -> Optional.empty();
      case STAGE_OF_NULL -> CompletableFuture.completedFuture(null);
      case STAGE_OF_EMPTY_OPTIONAL -> CompletableFuture.completedFuture(Optional.empty());
    };
  }

  /** The result for {@code method}'s return type, or null (and a problem) if it has none. */
  static @Nullable SkipResult of(Method method, Problems problems) {
    Class<?> raw = method.getReturnType();
    if (raw == void.class || raw == Void.class) {
      return NOTHING;
    }
    if (raw == Optional.class) {
      return EMPTY_OPTIONAL;
    }
    if (CompletionStage.class.isAssignableFrom(raw)
        && raw.isAssignableFrom(CompletableFuture.class)
        && method.getGenericReturnType() instanceof ParameterizedType stage) {
      Type value = stage.getActualTypeArguments()[0];
      if (value == Void.class) {
        return STAGE_OF_NULL;
      }
      if (value == Optional.class
          || value instanceof ParameterizedType optional
              && optional.getRawType() == Optional.class) {
        return STAGE_OF_EMPTY_OPTIONAL;
      }
    }
    problems.add(
        Problems.SKIP_RETURN_TYPE,
        "onBusy = SKIP needs a return type that can say \"did"
            + " not run\", but the method returns "
            + method.getGenericReturnType().getTypeName()
            + (raw == boolean.class || raw == Boolean.class
                ? " (false already means something of the"
                    + " method's own, so a skip could not be told apart from it)"
                : "")
            + "; return void, Optional<T>, CompletionStage<Void> or CompletionStage<Optional<T>>"
            + " (or CompletableFuture of those), or use onBusy = REFUSE");
    return null;
  }
}
