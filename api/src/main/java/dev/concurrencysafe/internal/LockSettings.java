package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockSpec;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link LockSpec} says, as one value: each {@code withX} returns a copy with one
 * setting changed. Values are validated by the caller (the spec's setters, or the CDI extension at
 * deployment), not here, so a template built once is reused per call without checks.
 *
 * <p>Thread-safety: immutable (the exception factory is the caller's and is only called).
 *
 * @param key the key without the manager prefix
 * @param keyName the catalog constant, the LockKey pattern, or {@code "(literal)"}
 * @param onBlocked the refusal's factory, or null for {@link
 *     dev.concurrencysafe.ConcurrencyException}
 * @param verb the name instrumentations see instead of the verb's own (e.g. {@code intercept}), or
 *     null
 */
record LockSettings(
    String key,
    String keyName,
    Duration ttl,
    Duration waitTimeout,
    Duration cooldown,
    @Nullable Function<String, ? extends RuntimeException> onBlocked,
    String blockedMessage,
    Level blockedLogLevel,
    Level skipLogLevel,
    boolean failOpen,
    @Nullable String verb) {

  /** The defaults for {@code key}: no wait, no cooldown, refusals at WARNING, skips at DEBUG. */
  static LockSettings of(String key, String keyName, Duration ttl) {
    return new LockSettings(
        key,
        keyName,
        ttl,
        Duration.ZERO,
        Duration.ZERO,
        null,
        LockSpec.DEFAULT_BLOCKED_MESSAGE,
        Level.WARNING,
        Level.DEBUG,
        false,
        null);
  }

  LockSettings withKey(String key, String keyName) {
    return new LockSettings(
        key,
        keyName,
        ttl,
        waitTimeout,
        cooldown,
        onBlocked,
        blockedMessage,
        blockedLogLevel,
        skipLogLevel,
        failOpen,
        verb);
  }

  LockSettings withTtl(Duration ttl) {
    return new LockSettings(
        key,
        keyName,
        ttl,
        waitTimeout,
        cooldown,
        onBlocked,
        blockedMessage,
        blockedLogLevel,
        skipLogLevel,
        failOpen,
        verb);
  }

  LockSettings withWaitTimeout(Duration waitTimeout) {
    return new LockSettings(
        key,
        keyName,
        ttl,
        waitTimeout,
        cooldown,
        onBlocked,
        blockedMessage,
        blockedLogLevel,
        skipLogLevel,
        failOpen,
        verb);
  }

  LockSettings withCooldown(Duration cooldown) {
    return new LockSettings(
        key,
        keyName,
        ttl,
        waitTimeout,
        cooldown,
        onBlocked,
        blockedMessage,
        blockedLogLevel,
        skipLogLevel,
        failOpen,
        verb);
  }

  LockSettings withOnBlocked(Function<String, ? extends RuntimeException> onBlocked) {
    return new LockSettings(
        key,
        keyName,
        ttl,
        waitTimeout,
        cooldown,
        onBlocked,
        blockedMessage,
        blockedLogLevel,
        skipLogLevel,
        failOpen,
        verb);
  }

  LockSettings withBlockedMessage(String blockedMessage) {
    return new LockSettings(
        key,
        keyName,
        ttl,
        waitTimeout,
        cooldown,
        onBlocked,
        blockedMessage,
        blockedLogLevel,
        skipLogLevel,
        failOpen,
        verb);
  }

  LockSettings withBlockedLogLevel(Level blockedLogLevel) {
    return new LockSettings(
        key,
        keyName,
        ttl,
        waitTimeout,
        cooldown,
        onBlocked,
        blockedMessage,
        blockedLogLevel,
        skipLogLevel,
        failOpen,
        verb);
  }

  LockSettings withSkipLogLevel(Level skipLogLevel) {
    return new LockSettings(
        key,
        keyName,
        ttl,
        waitTimeout,
        cooldown,
        onBlocked,
        blockedMessage,
        blockedLogLevel,
        skipLogLevel,
        failOpen,
        verb);
  }

  LockSettings withFailOpen() {
    return new LockSettings(
        key,
        keyName,
        ttl,
        waitTimeout,
        cooldown,
        onBlocked,
        blockedMessage,
        blockedLogLevel,
        skipLogLevel,
        true,
        verb);
  }

  LockSettings withVerb(String verb) {
    return new LockSettings(
        key,
        keyName,
        ttl,
        waitTimeout,
        cooldown,
        onBlocked,
        blockedMessage,
        blockedLogLevel,
        skipLogLevel,
        failOpen,
        verb);
  }

  /** The name instrumentations see for a call of {@code own}. */
  String verbOr(String own) {
    return verb == null ? own : verb;
  }
}
