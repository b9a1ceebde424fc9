package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockSpec;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One intercepted method's effective settings, resolved and validated once at deployment
 * (configuration override &gt; annotation &gt; catalog &gt; global default).
 *
 * <p>Thread-safety: immutable.
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
 */
record MethodSettings(String where, boolean enabled, @Nullable KeyTemplate key, Duration ttl,
    Duration waitTimeout, Duration cooldown, @Nullable String blockedMessage,
    @Nullable ExceptionFactory exception, Class<?> returnType) {

  static MethodSettings disabled(String where, Class<?> returnType) {
    return new MethodSettings(where, false, null, Duration.ZERO, Duration.ZERO, Duration.ZERO, null,
        null, returnType);
  }

  boolean async() {
    return java.util.concurrent.CompletionStage.class.isAssignableFrom(returnType);
  }

  /** A spec for one call, from the call's arguments. */
  LockSpec spec(LockManager manager, Object[] parameters) {
    KeyTemplate template = key;
    if (template == null) {
      throw new IllegalStateException(where + " is disabled; it has no lock spec");
    }
    LockSpec spec = manager.with(template.lockKey(), template.arguments(parameters))
        .ttl(ttl)
        .waitTimeout(waitTimeout)
        .cooldown(cooldown);
    if (blockedMessage != null) {
      spec = spec.blockedMessage(blockedMessage);
    }
    if (exception != null) {
      spec = spec.onBlocked(exception);
    }
    return spec;
  }
}
