package dev.concurrencysafe.cdi;

import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Names a parameter for {@link ConcurrencySafe#key()} placeholders, for code compiled without
 * {@code -parameters}: {@code purchase(@KeyParam("userId") long userId, ...)}.
 *
 * <p>Thread-safety: an annotation; immutable.
 */
@Documented
@Retention(RUNTIME)
@Target(PARAMETER)
public @interface KeyParam {

  /** The name placeholders use for this parameter. */
  String value();
}
