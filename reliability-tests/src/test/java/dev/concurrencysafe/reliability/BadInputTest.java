package dev.concurrencysafe.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.Locks;
import dev.concurrencysafe.testing.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * Scenario 10: every bad input the core can receive gets a typed error whose message names the
 * offending value and what was expected, and leaves no key in Redis. The table in
 * docs/reliability.md is generated from these very messages ({@code target/bad-inputs.md}).
 */
class BadInputTest {

  private static RedisServer redis;
  private static RedissonClient client;
  private static LockManager locks;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    client = Clients.single(redis.port());
    locks = LockManager.redisson(client);
  }

  @AfterAll
  static void stop() {
    locks.close();
    client.shutdown();
    redis.close();
  }

  interface Action {
    void run() throws Exception;
  }

  record Case(String input, Action action, Class<? extends Throwable> type, String... fragments) {}

  enum Catalog implements LockKey {
    ONE("rel:bad:{id}", Duration.ofSeconds(1)),
    TWO("rel:bad:{a}:{b}", Duration.ofSeconds(1));

    private final String pattern;
    private final Duration ttl;

    Catalog(String pattern, Duration ttl) {
      this.pattern = pattern;
      this.ttl = ttl;
    }

    @Override
    public String pattern() {
      return pattern;
    }

    @Override
    public Duration ttl() {
      return ttl;
    }
  }

  enum DuplicateCatalog implements LockKey {
    FIRST("rel:dup:{user}"),
    SECOND("rel:dup:{customer}");

    private final String pattern;

    DuplicateCatalog(String pattern) {
      this.pattern = pattern;
    }

    @Override
    public String pattern() {
      return pattern;
    }

    @Override
    public Duration ttl() {
      return Duration.ofSeconds(1);
    }
  }

  enum ZeroTtlCatalog implements LockKey {
    NO_TTL;

    @Override
    public String pattern() {
      return "rel:zero:{id}";
    }

    @Override
    public Duration ttl() {
      return Duration.ZERO;
    }
  }

  static LockKey pattern(String pattern) {
    return new LockKey() {
      @Override
      public String pattern() {
        return pattern;
      }

      @Override
      public Duration ttl() {
        return Duration.ofSeconds(1);
      }
    };
  }

  private static List<Case> cases() {
    String longKey = "k".repeat(1025);
    String hugeArg = "é".repeat(600);
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "with(null)",
            () -> locks.with((String) null),
            NullPointerException.class,
            "key must not be null"));
    cases.add(
        new Case(
            "with(\"\")",
            () -> locks.with(""),
            IllegalArgumentException.class,
            "key must not be blank"));
    cases.add(
        new Case(
            "with(\"   \")",
            () -> locks.with("   "),
            IllegalArgumentException.class,
            "key must not be blank",
            "'   '"));
    cases.add(
        new Case(
            "with(1025-byte key)",
            () -> locks.with(longKey),
            IllegalArgumentException.class,
            "at most 1024 bytes",
            "1025"));
    cases.add(
        new Case(
            "with(\"lock:{42}\") (braces)",
            () -> locks.with("lock:{42}"),
            IllegalArgumentException.class,
            "'{' or '}'",
            "lock:{42}"));
    cases.add(
        new Case(
            "ttl(null)",
            () -> locks.with("rel:k").ttl(null),
            NullPointerException.class,
            "ttl must not be null"));
    cases.add(
        new Case(
            "ttl(0)",
            () -> locks.with("rel:k").ttl(Duration.ZERO),
            IllegalArgumentException.class,
            "ttl must be > 0",
            "PT0S"));
    cases.add(
        new Case(
            "ttl(-1 s)",
            () -> locks.with("rel:k").ttl(Duration.ofSeconds(-1)),
            IllegalArgumentException.class,
            "ttl must be > 0",
            "PT-1S"));
    cases.add(
        new Case(
            "ttl(500 µs) (sub-millisecond)",
            () -> locks.with("rel:k").ttl(Duration.ofNanos(500_000)),
            IllegalArgumentException.class,
            "ttl must be >= 1ms",
            "PT0.0005S"));
    cases.add(
        new Case(
            "ttl(366 days)",
            () -> locks.with("rel:k").ttl(Duration.ofDays(366)),
            IllegalArgumentException.class,
            "ttl must be <= 365 days",
            "PT8784H"));
    cases.add(
        new Case(
            "waitTimeout(null)",
            () -> locks.with("rel:k").waitTimeout(null),
            NullPointerException.class,
            "waitTimeout must not be null"));
    cases.add(
        new Case(
            "waitTimeout(-1 ms)",
            () -> locks.with("rel:k").waitTimeout(Duration.ofMillis(-1)),
            IllegalArgumentException.class,
            "waitTimeout must be >= 0",
            "PT-0.001S"));
    cases.add(
        new Case(
            "waitTimeout(366 days)",
            () -> locks.with("rel:k").waitTimeout(Duration.ofDays(366)),
            IllegalArgumentException.class,
            "waitTimeout must be <= 365 days"));
    cases.add(
        new Case(
            "cooldown(-1 s)",
            () -> locks.with("rel:k").cooldown(Duration.ofSeconds(-1)),
            IllegalArgumentException.class,
            "cooldown must be >= 0",
            "PT-1S"));
    cases.add(
        new Case(
            "cooldown(366 days)",
            () -> locks.with("rel:k").cooldown(Duration.ofDays(366)),
            IllegalArgumentException.class,
            "cooldown must be <= 365 days",
            "PT8784H"));
    cases.add(
        new Case(
            "run(null)",
            () -> locks.with("rel:k").run(null),
            NullPointerException.class,
            "body must not be null"));
    cases.add(
        new Case(
            "call(null)",
            () -> locks.with("rel:k").call(null),
            NullPointerException.class,
            "body must not be null"));
    cases.add(
        new Case(
            "onBlocked(null)",
            () -> locks.with("rel:k").onBlocked(null),
            NullPointerException.class,
            "onBlocked exceptionFactory must not be null"));
    cases.add(
        new Case(
            "blockedMessage(null)",
            () -> locks.with("rel:k").blockedMessage(null),
            NullPointerException.class,
            "blockedMessage must not be null"));
    cases.add(
        new Case(
            "blockedLogLevel(null)",
            () -> locks.with("rel:k").blockedLogLevel(null),
            NullPointerException.class,
            "blockedLogLevel must not be null"));
    cases.add(
        new Case(
            "onBlocked factory returning null (when blocked)",
            BadInputTest::blockedWithNullFactory,
            NullPointerException.class,
            "onBlocked factory must return an exception",
            "rel:held"));
    cases.add(
        new Case(
            "with(..) on a closed manager",
            BadInputTest::useClosedManager,
            IllegalStateException.class,
            "LockManager is closed"));
    cases.add(
        new Case(
            "Locks.getDefault() with no default installed",
            Locks::getDefault,
            IllegalStateException.class,
            "no default LockManager",
            "Locks.setDefault"));
    cases.add(
        new Case(
            "Locks.setDefault(null)",
            () -> Locks.setDefault(null),
            NullPointerException.class,
            "manager must not be null"));
    cases.add(
        new Case(
            "with((LockKey) null)",
            () -> locks.with((LockKey) null, 1),
            NullPointerException.class,
            "key must not be null"));
    cases.add(
        new Case(
            "placeholder count mismatch",
            () -> locks.with(Catalog.TWO, 1),
            IllegalArgumentException.class,
            "rel:bad:{a}:{b}",
            "2 placeholder(s) [a, b]",
            "1 argument(s)"));
    cases.add(
        new Case(
            "null argument",
            () -> locks.with(Catalog.ONE, (Object) null),
            IllegalArgumentException.class,
            "argument for {id}",
            "must not be null"));
    cases.add(
        new Case(
            "null varargs array",
            () -> locks.with(Catalog.ONE, (Object[]) null),
            IllegalArgumentException.class,
            "argument for {id}",
            "must not be null"));
    cases.add(
        new Case(
            "unpaired surrogate in an argument",
            () -> locks.with(Catalog.ONE, "a\uD800b"),
            IllegalArgumentException.class,
            "well-formed Unicode",
            "unpaired surrogate"));
    cases.add(
        new Case(
            "formatted key over 1 KiB",
            () -> locks.with(Catalog.ONE, hugeArg),
            IllegalArgumentException.class,
            "rel:bad:{id}",
            "at most 1024 bytes"));
    cases.add(
        new Case(
            "malformed pattern (stray brace)",
            () -> locks.with(pattern("rel:{id"), 1),
            IllegalArgumentException.class,
            "rel:{id",
            "brace that is not part of a placeholder"));
    cases.add(
        new Case(
            "malformed pattern (bad placeholder name)",
            () -> locks.with(pattern("rel:{user-id}"), 1),
            IllegalArgumentException.class,
            "rel:{user-id}",
            "brace"));
    cases.add(
        new Case(
            "adjacent placeholders",
            () -> locks.with(pattern("rel:{a}{b}"), 1, 2),
            IllegalArgumentException.class,
            "must separate {a} and {b}"));
    cases.add(
        new Case(
            "repeated placeholder",
            () -> locks.with(pattern("rel:{a}:{a}"), 1, 2),
            IllegalArgumentException.class,
            "{a} more than once"));
    cases.add(
        new Case(
            "blank pattern",
            () -> locks.with(pattern(" "), 1),
            IllegalArgumentException.class,
            "pattern must not be blank"));
    cases.add(
        new Case(
            "null pattern",
            () -> locks.with(pattern(null), 1),
            NullPointerException.class,
            "pattern must not be null"));
    cases.add(
        new Case(
            "catalog with duplicate patterns",
            () -> LockKey.validateCatalog(DuplicateCatalog.class),
            IllegalArgumentException.class,
            "DuplicateCatalog.SECOND",
            "same keys as DuplicateCatalog.FIRST"));
    cases.add(
        new Case(
            "catalog key with ttl 0",
            () -> LockKey.validateCatalog(ZeroTtlCatalog.class),
            IllegalArgumentException.class,
            "ZeroTtlCatalog.NO_TTL",
            "ttl must be",
            "PT0S"));
    cases.add(
        new Case(
            "with(catalog key with ttl 0)",
            () -> locks.with(ZeroTtlCatalog.NO_TTL, 1),
            IllegalArgumentException.class,
            "ZeroTtlCatalog.NO_TTL.ttl() must be > 0",
            "PT0S"));
    cases.add(
        new Case(
            "builder keyPrefix with braces",
            () -> LockManager.builder().keyPrefix("{app}:"),
            IllegalArgumentException.class,
            "keyPrefix",
            "{app}:"));
    cases.add(
        new Case(
            "builder keyPrefix(null)",
            () -> LockManager.builder().keyPrefix(null),
            NullPointerException.class,
            "keyPrefix must not be null"));
    cases.add(
        new Case(
            "builder unavailableTimeout(0)",
            () -> LockManager.builder().unavailableTimeout(Duration.ZERO),
            IllegalArgumentException.class,
            "unavailableTimeout must be > 0",
            "PT0S"));
    cases.add(
        new Case(
            "builder defaultTtl(-1 s)",
            () -> LockManager.builder().defaultTtl(Duration.ofSeconds(-1)),
            IllegalArgumentException.class,
            "defaultTtl must be > 0",
            "PT-1S"));
    // zero is the default (no retention) and accepted; a negative retention is the bad input
    cases.add(
        new Case(
            "builder fencingRetention(-1 ms)",
            () -> LockManager.builder().fencingRetention(Duration.ofMillis(-1)),
            IllegalArgumentException.class,
            "fencingRetention must be >= 0",
            "PT-0.001S"));
    cases.add(
        new Case(
            "builder repeatedLogInterval(-1 ms)",
            () -> LockManager.builder().repeatedLogInterval(Duration.ofMillis(-1)),
            IllegalArgumentException.class,
            "repeatedLogInterval must be >= 0",
            "PT-0.001S"));
    cases.add(
        new Case(
            "builder listener(null)",
            () -> LockManager.builder().listener(null),
            NullPointerException.class,
            "listener must not be null"));
    cases.add(
        new Case(
            "LockManager.redisson(null)",
            () -> LockManager.redisson(null),
            NullPointerException.class,
            "client must not be null"));
    return cases;
  }

  private static void blockedWithNullFactory() {
    // Held by another manager: on the same thread, the same manager would join the lease.
    try (LockManager other = LockManager.redisson(client);
        Lease held = other.with("rel:held").acquire()) {
      assertTrue(held.isValid());
      locks.with("rel:held").onBlocked(message -> null).run(() -> fail("body ran while blocked"));
    } finally {
      // The holder's own fencing counter is the only key an acquisition leaves (by design).
      redis.command("DEL", "{rel:held}:fence");
    }
  }

  private static void useClosedManager() {
    LockManager closed = LockManager.redisson(client);
    closed.close();
    closed.with("rel:k");
  }

  @Test
  void everyBadInputGetsATypedErrorNamingTheValueAndLeavesNoKey() throws IOException {
    List<Case> cases = cases();
    StringBuilder table =
        new StringBuilder(
            "| # | Bad input | Exception | Message (verbatim) |\n|---|---|---|---|\n");
    List<String> problems = new ArrayList<>();
    int n = 0;
    for (Case c : cases) {
      n++;
      Throwable thrown = null;
      try {
        c.action().run();
      } catch (Throwable t) {
        thrown = t;
      }
      String keys = redis.command("DBSIZE");
      if (thrown == null) {
        problems.add(c.input() + ": nothing thrown");
        continue;
      }
      if (!c.type().isInstance(thrown)) {
        problems.add(c.input() + ": expected " + c.type().getSimpleName() + " but got " + thrown);
        continue;
      }
      String message = String.valueOf(thrown.getMessage());
      for (String fragment : c.fragments()) {
        if (!message.contains(fragment)) {
          problems.add(c.input() + ": message lacks '" + fragment + "': " + message);
        }
      }
      if (!keys.equals("0")) {
        problems.add(
            c.input() + ": left " + keys + " key(s) in Redis: " + redis.command("KEYS", "*"));
        redis.command("FLUSHALL");
      }
      String shown = message.length() > 160 ? message.substring(0, 157) + "..." : message;
      table
          .append("| ")
          .append(n)
          .append(" | `")
          .append(c.input().replace("|", "\\|"))
          .append("` | ")
          .append(thrown.getClass().getSimpleName())
          .append(" | ")
          .append(shown.replace("|", "\\|"))
          .append(" |\n");
    }
    Files.writeString(Path.of("target", "bad-inputs.md"), table, StandardCharsets.UTF_8);
    Figures.record(
        "bad inputs",
        cases.size()
            + " kinds, "
            + problems.size()
            + " problems; keys left"
            + " in Redis: "
            + redis.command("DBSIZE"));
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertTrue(cases.size() >= 20);
    assertEquals("0", redis.command("DBSIZE"));
    assertInstanceOf(LockManager.class, locks);
  }
}
