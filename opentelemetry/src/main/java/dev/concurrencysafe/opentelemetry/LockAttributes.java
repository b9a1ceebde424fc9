package dev.concurrencysafe.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attributes and events of lock spans. OpenTelemetry has no semantic convention for locks, so
 * they live in the {@code concurrency_safe.lock} namespace (lowercase, dot-separated, snake_case
 * words, as OpenTelemetry's attribute naming rules ask); {@code error.type} and the {@code
 * exception} event are OpenTelemetry's own. Durations are in seconds, as doubles.
 *
 * <p>Thread-safety: constants only.
 */
public final class LockAttributes {

  private static final String NS = "concurrency_safe.lock.";

  /** The key name: catalog constant, {@code LockKey} pattern or {@code "(literal)"}. */
  public static final AttributeKey<String> KEY_NAME = AttributeKey.stringKey(NS + "key_name");

  /** The formatted key, only when {@link LockTracing.Builder#recordFormattedKey} opted in. */
  public static final AttributeKey<String> KEY = AttributeKey.stringKey(NS + "key");

  /** How the caller asked: {@code run}, {@code tryCall}, {@code callAsync}, {@code intercept}... */
  public static final AttributeKey<String> VERB = AttributeKey.stringKey(NS + "verb");

  /** True when a busy key skips the body instead of failing the call. */
  public static final AttributeKey<Boolean> SKIP_WHEN_BUSY =
      AttributeKey.booleanKey(NS + "skip_when_busy");

  /** The lease's ttl, in seconds. */
  public static final AttributeKey<Double> TTL = AttributeKey.doubleKey(NS + "ttl");

  /** How long the call could wait for a busy key, in seconds. */
  public static final AttributeKey<Double> WAIT_TIMEOUT =
      AttributeKey.doubleKey(NS + "wait_timeout");

  /** The cooldown after acquisition, in seconds (absent when there is none). */
  public static final AttributeKey<Double> COOLDOWN = AttributeKey.doubleKey(NS + "cooldown");

  /**
   * {@code acquired}, {@code blocked} (held elsewhere; the caller was refused), {@code skipped}
   * (held elsewhere; a skip-when-busy verb did not run its body), {@code unavailable} (the store
   * could not be reached in time) or {@code refused} (the store answered but refused: ACL, too few
   * replicas, read-only replica).
   */
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey(NS + "outcome");

  /** How long the call waited for the lock (or until refused, skipped or failed), in seconds. */
  public static final AttributeKey<Double> WAIT_DURATION =
      AttributeKey.doubleKey(NS + "wait_duration");

  /** The fencing token of the acquired lease. */
  public static final AttributeKey<Long> FENCING_TOKEN = AttributeKey.longKey(NS + "fencing_token");

  /** On acquired calls: whether the lease was lost while the body ran. */
  public static final AttributeKey<Boolean> LEASE_LOST = AttributeKey.booleanKey(NS + "lease_lost");

  /** How long the lock was held, in seconds (set at release or when the lease was lost). */
  public static final AttributeKey<Double> HELD_DURATION =
      AttributeKey.doubleKey(NS + "held_duration");

  /** After release, how long the key stays held for its cooldown, in seconds. */
  public static final AttributeKey<Double> COOLDOWN_REMAINING =
      AttributeKey.doubleKey(NS + "cooldown_remaining");

  /** OpenTelemetry's {@code error.type}: the class of the exception the caller received. */
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** Event: a renewal found the lease expired or taken while the body still ran. */
  public static final String EVENT_LEASE_LOST = NS + "lease_lost";

  /** Event: a renewal failed (the store did not answer); the lease may still be held. */
  public static final String EVENT_RENEWAL_FAILED = NS + "renewal_failed";

  /** Event: the store could not be reached or refused; carries {@code exception.*} attributes. */
  public static final String EVENT_STORE_ERROR = NS + "store_error";

  /** Values of {@link #OUTCOME}. */
  public static final String ACQUIRED = "acquired";

  /** Values of {@link #OUTCOME}. */
  public static final String BLOCKED = "blocked";

  /** Values of {@link #OUTCOME}. */
  public static final String SKIPPED = "skipped";

  /** Values of {@link #OUTCOME}. */
  public static final String UNAVAILABLE = "unavailable";

  /** Values of {@link #OUTCOME}. */
  public static final String REFUSED = "refused";

  private LockAttributes() {}
}
