package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockManagerBuilder;
import dev.concurrencysafe.integration.Redaction;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The application-wide {@code concurrency-safe.*} settings, read and validated once at deployment.
 *
 * <p>Thread-safety: immutable.
 *
 * @param ttl the ttl of methods whose annotation and catalog give none
 * @param waitTimeout the wait timeout of methods whose annotation gives none
 * @param keyPrefix prepended to every key by managers the extension builds
 * @param interceptorPriority the interceptor's {@code @Priority}
 * @param redis how to connect when the application produces no client or manager
 * @param healthTimeout how long the readiness check waits for the lock store's answer
 * @param repeatedLogInterval per key name, one refusal line per interval plus a summary (zero:
 *     every line); given to managers the extension builds
 */
record GlobalSettings(
    Duration ttl,
    Duration waitTimeout,
    String keyPrefix,
    int interceptorPriority,
    RedisSettings redis,
    Duration healthTimeout,
    Duration repeatedLogInterval) {

  static final String PREFIX = "concurrency-safe.";

  /** The core's default ttl for literal keys (LockManagerBuilder#defaultTtl). */
  static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  /**
   * Outside MicroProfile Fault Tolerance (PLATFORM_AFTER + 10): a duplicate is rejected before any
   * retry, timeout or bulkhead spends resources on it, and retries run inside the lock.
   */
  static final int DEFAULT_PRIORITY = Interceptor.Priority.PLATFORM_AFTER + 5;

  /** Short enough for a readiness probe (Kubernetes' default probe timeout is 1 s). */
  static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(1);

  static GlobalSettings read(ConfigReader config, Problems problems) {
    problems.at(PREFIX + "*");
    Duration ttl = duration(config, "ttl", DEFAULT_TTL, true, problems);
    Duration wait = duration(config, "wait-timeout", Duration.ZERO, false, problems);
    String prefix = config.get(PREFIX + "key-prefix").orElse("");
    try {
      LockManager.builder().keyPrefix(prefix);
    } catch (IllegalArgumentException e) {
      problems.at(PREFIX + "key-prefix");
      problems.add(Problems.BAD_SETTING, String.valueOf(e.getMessage()));
    }
    int priority = DEFAULT_PRIORITY;
    Optional<String> priorityText = config.get(PREFIX + "interceptor-priority");
    if (priorityText.isPresent()) {
      try {
        priority = Integer.parseInt(priorityText.get());
      } catch (NumberFormatException e) {
        problems.at(PREFIX + "interceptor-priority");
        problems.add(
            Problems.BAD_SETTING,
            "'"
                + priorityText.get()
                + "' is not an integer; expected"
                + " e.g. "
                + DEFAULT_PRIORITY
                + " (Interceptor.Priority.PLATFORM_AFTER + 5)");
      }
    }
    Duration healthTimeout =
        duration(config, "health.timeout", DEFAULT_HEALTH_TIMEOUT, true, problems);
    Duration repeatedLog =
        duration(
            config,
            "repeated-log-interval",
            LockManagerBuilder.DEFAULT_REPEATED_LOG_INTERVAL,
            false,
            problems);
    return new GlobalSettings(
        ttl, wait, prefix, priority, RedisSettings.read(config), healthTimeout, repeatedLog);
  }

  private static Duration duration(
      ConfigReader config, String name, Duration fallback, boolean positive, Problems problems) {
    Optional<String> text = config.get(PREFIX + name);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      return Durations.checkRange(Durations.parse(text.get()), text.get(), positive);
    } catch (IllegalArgumentException e) {
      problems.at(PREFIX + name);
      problems.add(Problems.BAD_DURATION, String.valueOf(e.getMessage()));
      return fallback;
    }
  }

  /**
   * Connection settings. {@link #toString()} never shows the password.
   *
   * <p>Thread-safety: immutable.
   */
  record RedisSettings(
      String address,
      @Nullable String username,
      @Nullable String password,
      @Nullable String configFile) {

    static final String DEFAULT_ADDRESS = "redis://127.0.0.1:6379";

    static RedisSettings read(ConfigReader config) {
      return new RedisSettings(
          config.get(PREFIX + "redis.address").orElse(DEFAULT_ADDRESS),
          config.get(PREFIX + "redis.username").orElse(null),
          config.get(PREFIX + "redis.password").orElse(null),
          config.get(PREFIX + "redis.config-file").orElse(null));
    }

    /** The address without any user info, for messages. */
    String safeAddress() {
      return Redaction.redact(address);
    }

    /**
     * {@code text} with the address's user info, its password part and the configured password
     * replaced by {@code ***} (the core's {@link Redaction}, given the secrets it cannot know).
     */
    String mask(String text) {
      java.util.regex.Matcher userInfo =
          java.util.regex.Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://([^@/]*)@").matcher(address);
      String info = null;
      String infoPassword = null;
      if (userInfo.find()) {
        info = userInfo.group(1);
        int colon = info.indexOf(':');
        infoPassword = colon < 0 ? null : info.substring(colon + 1);
      }
      return Redaction.redact(text, info, infoPassword, password);
    }

    @Override
    public String toString() {
      return "RedisSettings[address="
          + safeAddress()
          + ", username="
          + username
          + ", password="
          + (password == null ? "none" : "***")
          + ", configFile="
          + configFile
          + "]";
    }
  }
}
