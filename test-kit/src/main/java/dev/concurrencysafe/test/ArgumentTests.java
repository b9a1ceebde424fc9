package dev.concurrencysafe.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Bad input: a typed error naming the value and what was expected, and nothing left in the store.
 *
 * <p>Part of {@link LockBackendContract} (one link of its chain of test groups), run over the
 * backend under test.
 *
 * <p>Thread-safety: JUnit runs one test per instance; the tests start their own threads.
 */
abstract class ArgumentTests extends ContractFixture {

  static void expect(Class<? extends Throwable> type, String messageStart, Runnable call) {
    String message = assertThrows(type, call::run).getMessage();
    assertTrue(
        message != null && message.startsWith(messageStart),
        "message '" + message + "' should start with '" + messageStart + "'");
  }

  @Test
  @SuppressWarnings({"NullAway", "CheckReturnValue"}) // nulls and dropped specs, on purpose
  void badArgumentsGetTypedErrorsNamingTheValueAndLeaveNothingInTheStore() {
    LockManager locks = newEngine();
    rejectsBadKeys(locks);
    rejectsBadDurations(locks);
    rejectsBadSettingsAndBodies(locks);
    dev.concurrencysafe.LockKey byId = sneakyKey();
    rejectsBadKeyArguments(locks, byId);
    assertEquals(0, storedEntries(), "no key may be left by rejected arguments");
    try (Lease escaped = locks.with(byId, "x").acquire()) {
      assertEquals("x", escaped.key(), "an overridden format() cannot bypass escaping");
    }
    try (Lease held = locks.with("k").acquire()) {
      expect(
          NullPointerException.class,
          "onBlocked factory must return an exception, but returned null" + " for key 'k'",
          () -> newEngine().with("k").onBlocked(message -> null).run(() -> {}));
    }
    locks.close();
    expect(IllegalStateException.class, "LockManager is closed", () -> locks.with("k"));
  }

  @SuppressWarnings({"NullAway", "CheckReturnValue"}) // nulls and dropped specs, on purpose
  private static void rejectsBadKeys(LockManager locks) {
    expect(NullPointerException.class, "key must not be null", () -> locks.with((String) null));
    expect(
        IllegalArgumentException.class,
        "key must not be blank, but was ' '",
        () -> locks.with(" "));
    expect(
        IllegalArgumentException.class,
        "key must not contain '{' or '}'",
        () -> locks.with("a{b}"));
    expect(
        IllegalArgumentException.class,
        "key must be at most 1024 bytes in UTF-8, but was 1025",
        () -> locks.with("x".repeat(1025)));
  }

  @SuppressWarnings({"NullAway", "CheckReturnValue"}) // nulls and dropped specs, on purpose
  private static void rejectsBadDurations(LockManager locks) {
    expect(NullPointerException.class, "ttl must not be null", () -> locks.with("k").ttl(null));
    expect(
        IllegalArgumentException.class,
        "ttl must be > 0, but was PT0S",
        () -> locks.with("k").ttl(Duration.ZERO));
    expect(
        IllegalArgumentException.class,
        "ttl must be > 0, but was PT-1S",
        () -> locks.with("k").ttl(Duration.ofSeconds(-1)));
    expect(
        IllegalArgumentException.class,
        "ttl must be >= 1ms, but was PT0.0005S",
        () -> locks.with("k").ttl(Duration.ofNanos(500_000)));
    expect(
        IllegalArgumentException.class,
        "ttl must be <= 365 days, but was PT9600H",
        () -> locks.with("k").ttl(Duration.ofDays(400)));
    expect(
        IllegalArgumentException.class,
        "waitTimeout must be >= 0, but was PT-0.001S",
        () -> locks.with("k").waitTimeout(Duration.ofMillis(-1)));
    expect(
        NullPointerException.class,
        "waitTimeout must not be null",
        () -> locks.with("k").waitTimeout(null));
    expect(
        IllegalArgumentException.class,
        "cooldown must be >= 0, but was PT-1M",
        () -> locks.with("k").cooldown(Duration.ofMinutes(-1)));
  }

  @SuppressWarnings({"NullAway", "CheckReturnValue"}) // nulls and dropped specs, on purpose
  private static void rejectsBadSettingsAndBodies(LockManager locks) {
    expect(
        NullPointerException.class,
        "onBlocked exceptionFactory must not be null",
        () -> locks.with("k").onBlocked(null));
    expect(
        NullPointerException.class,
        "blockedMessage must not be null",
        () -> locks.with("k").blockedMessage(null));
    expect(
        NullPointerException.class,
        "blockedLogLevel must not be null",
        () -> locks.with("k").blockedLogLevel(null));
    expect(
        NullPointerException.class,
        "body must not be null",
        () -> locks.with("k").run((dev.concurrencysafe.CheckedRunnable<RuntimeException>) null));
    expect(
        NullPointerException.class,
        "body must not be null",
        () ->
            locks
                .with("k")
                .call((dev.concurrencysafe.CheckedCallable<Object, RuntimeException>) null));
    expect(
        IllegalArgumentException.class,
        "key must not contain control characters",
        () -> locks.with("a\nforged log line"));
    expect(
        NullPointerException.class,
        "key must not be null",
        () -> locks.with((dev.concurrencysafe.LockKey) null, 1));
  }

  /** A key whose own format() would bypass escaping: the manager must not call it. */
  private static dev.concurrencysafe.LockKey sneakyKey() {
    return new dev.concurrencysafe.LockKey() {
      @Override
      public String pattern() {
        return "{id}";
      }

      @Override
      public Duration ttl() {
        return Duration.ofSeconds(1);
      }

      @Override
      public String format(@Nullable Object... args) {
        return "{sneaky}";
      }
    };
  }

  @SuppressWarnings({"NullAway", "CheckReturnValue"}) // nulls and dropped specs, on purpose
  private static void rejectsBadKeyArguments(LockManager locks, dev.concurrencysafe.LockKey byId) {
    expect(
        IllegalArgumentException.class,
        "pattern '{id}' has 1 placeholder(s) [id], but 2",
        () -> locks.with(byId, 1, 2));
    expect(
        IllegalArgumentException.class,
        "key formatted from pattern '{id}' must not be blank",
        () -> locks.with(byId, ""));
    expect(
        IllegalArgumentException.class,
        "argument for {id} in pattern '{id}' must have a stable" + " text form",
        () -> locks.with(byId, new Object()));
    expect(
        IllegalArgumentException.class,
        "argument for {id} in pattern '{id}' must have a stable" + " text form",
        () -> locks.with(byId, (Object) new int[] {1}));
  }
}
