package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.integration.DurationLimits;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration strings of annotations and configuration: {@code 500ms}, {@code 3s}, {@code
 * 10m}, {@code 1h}, {@code 2d} or ISO-8601 such as {@code PT3S}.
 *
 * <p>Thread-safety: stateless.
 */
final class Durations {

  static final String EXPECTED =
      "a duration such as '500ms', '3s', '10m', '1h', '2d' or ISO-8601 'PT3S'";

  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /** The parsed duration, or an exception whose message says what is wrong (without a prefix). */
  static Duration parse(String text) {
    String trimmed = text.trim();
    Matcher m = SHORT.matcher(trimmed.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return Duration.parse(trimmed);
      } catch (DateTimeParseException e) {
        // fall through to the uniform message
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not " + EXPECTED);
  }

  /**
   * Checks the range the core accepts ({@link DurationLimits}), naming the text as written: {@code
   * positive} for a ttl or timeout, else zero is allowed.
   */
  static Duration checkRange(Duration value, String text, boolean positive) {
    String name = "'" + text + "'";
    return positive ? DurationLimits.ttl(value, name) : DurationLimits.notNegative(value, name);
  }
}
