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

  /** The error and, if different, its root cause (e.g. a wrong password deep inside a connect error). */
  static String describe(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String described = one(error);
    return root == error ? described : described + " (cause: " + one(root) + ")";
  }

  private static String one(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + redact(message));
  }
}
