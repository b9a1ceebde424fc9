package dev.concurrencysafe.internal;

import java.util.regex.Pattern;

/**
 * Describes store errors for messages and logs without credentials: any {@code user:password@} in a
 * URI is masked.
 *
 * <p>Thread-safety: stateless.
 */
public final class Redaction {

  private static final Pattern CREDENTIALS = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)\\S*@");

  private Redaction() {}

  public static String redact(String text) {
    return CREDENTIALS.matcher(text).replaceAll("$1***@");
  }

  static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + redact(message));
  }
}
