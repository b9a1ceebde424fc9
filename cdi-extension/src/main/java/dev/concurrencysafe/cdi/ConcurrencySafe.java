package dev.concurrencysafe.cdi;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.concurrencysafe.ConcurrencyException;
import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Runs the annotated bean method (or every business method of the annotated bean) under a
 * concurrency-safe lock: a concurrent call with the same key is rejected with {@link #exception()}
 * instead of doing the work twice.
 *
 * <pre>{@code
 * @ConcurrencySafe(key = "lock:purchase:{userId}:{ticketId}", waitTimeout = "2s",
 *     blockedMessage = "Your purchase is already being processed.")
 * public Receipt purchase(long userId, long ticketId) { ... }
 * }</pre>
 *
 * <p>Placeholders bind to parameters by name (compile with {@code -parameters}) or by {@link
 * KeyParam}, and may follow a property path ({@code {order.customerId}}: a getter or record
 * accessor). Arguments are escaped exactly as {@code Locks.with(LockKey, args)} escapes them.
 * Methods returning {@code CompletionStage} or {@code CompletableFuture} hold the lock until the
 * stage completes. {@code onBusy = SKIP} turns a held key into "did not run" instead of an
 * exception (see {@link OnBusy#SKIP}). Every member can be overridden through MicroProfile Config,
 * for example {@code com.example.Shop/purchase/ConcurrencySafe/waitTimeout=5s}; all values are
 * validated when the application starts.
 *
 * <p>Thread-safety: an annotation; immutable.
 */
@Inherited
@Documented
@InterceptorBinding
@Retention(RUNTIME)
@Target({METHOD, TYPE})
public @interface ConcurrencySafe {

  /**
   * The key pattern, such as {@code "lock:purchase:{userId}:{ticketId}"}, or, when {@link
   * #catalog()} is set, the name of a constant in it. Empty: one lock per method, keyed by the
   * declaring class and method name.
   */
  @Nonbinding
  String key() default "";

  /** An enum implementing {@link dev.concurrencysafe.LockKey}; {@code void.class} for none. */
  @Nonbinding
  Class<?> catalog() default void.class;

  /**
   * How long the lock survives a crashed holder: {@code "3s"}, {@code "500ms"}, {@code "10m"},
   * {@code "1h"}, {@code "PT3S"}. Empty: the catalog constant's ttl, else {@code
   * concurrency-safe.ttl}, else 10 s.
   */
  @Nonbinding
  String ttl() default "";

  /**
   * How long to wait for a held lock; empty: {@code concurrency-safe.wait-timeout}, else fail fast.
   */
  @Nonbinding
  String waitTimeout() default "";

  /** Keeps the key held until acquisition + cooldown ("at most once per ..."); empty: none. */
  @Nonbinding
  String cooldown() default "";

  /** The message of the exception thrown when blocked; empty: "Please try again in a moment." */
  @Nonbinding
  String blockedMessage() default "";

  /**
   * The exception thrown when blocked, built from its public {@code (String message)} constructor;
   * the default is the core's {@link ConcurrencyException}.
   */
  @Nonbinding
  Class<? extends RuntimeException> exception() default ConcurrencyException.class;

  /**
   * What a call does when the key is held elsewhere (after {@link #waitTimeout()}, if any): {@link
   * OnBusy#REFUSE} (default) throws {@link #exception()}; {@link OnBusy#SKIP} does not run the
   * method and returns "did not run", for a scheduled job that every node fires and one node per
   * interval (with a {@link #cooldown()}) should run. Override: {@code
   * .../ConcurrencySafe/onBusy=SKIP}.
   */
  @Nonbinding
  OnBusy onBusy() default OnBusy.REFUSE;

  /** What a call does when the key is held elsewhere. Thread-safety: an enum; immutable. */
  enum OnBusy {
    /** Throw {@link ConcurrencySafe#exception()} with {@link ConcurrencySafe#blockedMessage()}. */
    REFUSE,
    /**
     * Do not run the method, logged at DEBUG and reported as a {@code SKIPPED} event, and return
     * what says "did not run": nothing for {@code void}, {@code Optional.empty()} for {@code
     * Optional<T>}, a stage completed with {@code null} for {@code CompletionStage<Void>} (or
     * {@code CompletableFuture<Void>}) and with {@code Optional.empty()} for {@code
     * CompletionStage<Optional<T>>}. Any other return type is a deployment error ({@code
     * CSCDI015}), {@code boolean} included: {@code false} already means something of the method's
     * own (e.g. "already given"), so a skip cannot be told apart from it; return {@code
     * Optional<Boolean>} instead. Redis unreachable is not a skip: the call fails closed with
     * {@code LockUnavailableException}.
     */
    SKIP
  }
}
