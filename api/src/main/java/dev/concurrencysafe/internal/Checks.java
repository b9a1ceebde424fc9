package dev.concurrencysafe.internal;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks with uniform messages: "{name} must be {expectation}, but was {value}". Duration
 * limits live in {@link dev.concurrencysafe.integration.DurationLimits}, shared with the
 * integrations.
 *
 * <p>Thread-safety: stateless.
 */
public final class Checks {

  /** The longest key accepted, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  private Checks() {}

  public static <T> T notNull(@Nullable T value, String name) {
    if (value == null) {
      throw new NullPointerException(name + " must not be null");
    }
    return value;
  }

  /** A literal lock key: not blank, at most 1 KiB in UTF-8, no braces. */
  public static String key(@Nullable String given) {
    String key = notNull(given, "key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("key must not be blank, but was '" + key + "'");
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "key must be at most "
              + MAX_KEY_BYTES
              + " bytes in UTF-8, but was "
              + bytes
              + " bytes: '"
              + abbreviate(key)
              + "'");
    }
    if (key.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "key must not contain control characters (they would forge"
              + " log lines), but was '"
              + abbreviate(key).replaceAll("\\p{Cntrl}", "?")
              + "'");
    }
    if (key.indexOf('{') >= 0 || key.indexOf('}') >= 0) {
      throw new IllegalArgumentException(
          "key must not contain '{' or '}' (they would choose the"
              + " Redis Cluster slot), but was '"
              + abbreviate(key)
              + "'; embed user input with a"
              + " LockKey pattern, whose arguments are escaped");
    }
    return key;
  }

  /** A manager key prefix: may be empty, no braces, at most 256 bytes. */
  public static String keyPrefix(@Nullable String given) {
    String prefix = notNull(given, "keyPrefix");
    if (prefix.indexOf('{') >= 0
        || prefix.indexOf('}') >= 0
        || prefix.getBytes(StandardCharsets.UTF_8).length > 256) {
      throw new IllegalArgumentException(
          "keyPrefix must be at most 256 bytes without '{' or '}', but was '"
              + abbreviate(prefix)
              + "'");
    }
    return prefix;
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
