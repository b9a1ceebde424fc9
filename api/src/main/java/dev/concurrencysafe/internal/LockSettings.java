package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.integration.DurationLimits;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
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

  /** "CacheKey.PURCHASE" per enum constant, built once: the name is a metric tag on every call. */
  private static final ClassValue<String[]> CATALOG_NAMES =
      new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> catalog) {
          return Arrays.stream(catalog.getEnumConstants())
              .map(constant -> catalog.getSimpleName() + "." + ((Enum<?>) constant).name())
              .toArray(String[]::new);
        }
      };

  /** The defaults for {@code key.format(args)}, named after the key, with the key's ttl. */
  static LockSettings of(LockKey key, @Nullable Object[] args) {
    Checks.notNull(key, "key");
    String name = keyName(key);
    return of(format(key, args), name, DurationLimits.ttl(key.ttl(), name + ".ttl()"));
  }

  /** This with the key {@code key.format(args)} and its name; the rest kept. */
  LockSettings withKey(LockKey key, @Nullable Object[] args) {
    Checks.notNull(key, "key");
    return withKey(format(key, args), keyName(key));
  }

  /** Not key.format(args): an override must not bypass escaping and the key checks. */
  private static String format(LockKey key, @Nullable Object[] args) {
    return KeyPattern.parse(key.pattern()).format(args);
  }

  private static String keyName(LockKey key) {
    return key instanceof Enum<?> e
        ? CATALOG_NAMES.get(e.getDeclaringClass())[e.ordinal()]
        : key.pattern();
  }

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
