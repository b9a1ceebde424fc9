package dev.concurrencysafe.integration;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Describes lock-store errors for messages, logs and health checks without credentials: any {@code
 * user:password@} in a URI is masked. One place for it, used by the core and the integrations
 * alike.
 *
 * <p>Thread-safety: stateless.
 */
public final class Redaction {

  private static final Pattern CREDENTIALS = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)\\S*@");

  /** Cause chains deeper than this are cut (and cycles cannot loop). */
  private static final int MAX_DEPTH = 20;

  private Redaction() {}

  /** {@code text} with every {@code scheme://user:password@} reduced to {@code scheme://***@}. */
  public static String redact(String text) {
    return CREDENTIALS.matcher(text).replaceAll("$1***@");
  }

  /**
   * {@link #redact(String)}, after replacing each known secret (a configured password, a user info)
   * with {@code ***}, in the order given; null and empty secrets are skipped.
   */
  public static String redact(String text, @Nullable String... secrets) {
    String masked = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        masked = masked.replace(secret, "***");
      }
    }
    return redact(masked);
  }

  /**
   * The error and, if different, its root cause, e.g. a wrong password deep inside a connect error:
   * {@code "RedisConnectionException: ... (cause: RedisWrongPasswordException: WRONGPASS ...)"},
   * redacted.
   */
  public static String describe(Throwable error) {
    Throwable root = error;
    for (int depth = 0;
        depth < MAX_DEPTH && root.getCause() != null && root.getCause() != root;
        depth++) {
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
