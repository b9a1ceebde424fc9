package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.integration.ObservedCall;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One intercepted method's effective settings, resolved and validated once at deployment
 * (configuration override &gt; annotation &gt; catalog &gt; global default).
 *
 * <p>Thread-safety: immutable but for the template, which is built once and safely published.
 *
 * @param where {@code Class#method}, for messages
 * @param enabled false when configuration turned the method's lock off
 * @param key the key bound to the method's parameters (null when disabled)
 * @param ttl the lock's ttl
 * @param waitTimeout how long to wait for a held lock
 * @param cooldown how long the key stays held after acquisition
 * @param blockedMessage the blocked message, or null for the core's default
 * @param exception the blocked exception's factory, or null for the core's ConcurrencyException
 * @param returnType the method's return type; a CompletionStage keeps the lock until it completes
 * @param skip what a call returns when it skips a held key (onBusy = SKIP), or null to refuse
 * @param template the method's spec, built on the first call
 */
record MethodSettings(
    String where,
    boolean enabled,
    @Nullable KeyTemplate key,
    Duration ttl,
    Duration waitTimeout,
    Duration cooldown,
    @Nullable String blockedMessage,
    @Nullable ExceptionFactory exception,
    Class<?> returnType,
    @Nullable SkipResult skip,
    SpecTemplate template) {

  MethodSettings(
      String where,
      boolean enabled,
      @Nullable KeyTemplate key,
      Duration ttl,
      Duration waitTimeout,
      Duration cooldown,
      @Nullable String blockedMessage,
      @Nullable ExceptionFactory exception,
      Class<?> returnType,
      @Nullable SkipResult skip) {
    this(
        where,
        enabled,
        key,
        ttl,
        waitTimeout,
        cooldown,
        blockedMessage,
        exception,
        returnType,
        skip,
        new SpecTemplate());
  }

  static MethodSettings disabled(String where, Class<?> returnType) {
    return new MethodSettings(
        where,
        false,
        null,
        Duration.ZERO,
        Duration.ZERO,
        Duration.ZERO,
        null,
        null,
        returnType,
        null);
  }

  boolean async() {
    return java.util.concurrent.CompletionStage.class.isAssignableFrom(returnType);
  }

  /**
   * A spec for one call: the method's template (built once per manager) with the key formatted from
   * the call's arguments.
   */
  LockSpec spec(LockManager manager, Object[] parameters) {
    KeyTemplate bound = key;
    if (bound == null) {
      throw new IllegalStateException(where + " is disabled; it has no lock spec");
    }
    return ObservedCall.keyed(
        template.spec(manager, this::template), bound.lockKey(), bound.arguments(parameters));
  }

  /** The settings as a spec (its key is replaced per call). */
  private LockSpec template(LockManager manager) {
    LockSpec spec =
        manager.with("method-template").ttl(ttl).waitTimeout(waitTimeout).cooldown(cooldown);
    if (blockedMessage != null) {
      spec = spec.blockedMessage(blockedMessage);
    }
    if (exception != null) {
      spec = spec.onBlocked(exception);
    }
    return spec;
  }
}
