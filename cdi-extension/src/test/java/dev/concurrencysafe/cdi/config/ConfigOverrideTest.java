package dev.concurrencysafe.cdi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.cdi.config.Beans.Busy;
import dev.concurrencysafe.cdi.config.Beans.Catalogued;
import dev.concurrencysafe.cdi.config.Beans.ObservingInterceptor;
import dev.concurrencysafe.cdi.config.Beans.Other;
import dev.concurrencysafe.cdi.config.Beans.Shop;
import dev.concurrencysafe.cdi.testing.Redis;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisExtension;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Overrides in MicroProfile Fault Tolerance's order: method config &gt; class config &gt; global
 * annotation config &gt; annotation &gt; catalog &gt; concurrency-safe.* default. Observed in
 * Redis: a key held by "someone else" blocks, and a body reads its own lock's PTTL.
 */
class ConfigOverrideTest {

  private static final String SHOP = Shop.class.getName();
  private static final String OTHER = Other.class.getName();
  private static final String CATALOGUED = Catalogued.class.getName();

  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();

  @Test
  void blockedMessageAtEachLevel() {
    try (TestContainer container =
        start(
            Map.of(
                "ConcurrencySafe/blockedMessage",
                "global",
                SHOP + "/ConcurrencySafe/blockedMessage",
                "class",
                SHOP + "/buy/ConcurrencySafe/blockedMessage",
                "method"))) {
      holdElsewhere("lock:shop:1", "lock:shop2:1", "lock:other:1");
      assertEquals("method", blocked(() -> container.bean(Shop.class).buy("1")).getMessage());
      assertEquals("class", blocked(() -> container.bean(Shop.class).sell("1")).getMessage());
      assertEquals("global", blocked(() -> container.bean(Other.class).run("1")).getMessage());
    }
    try (TestContainer container = start(Map.of())) {
      assertEquals("annotation", blocked(() -> container.bean(Shop.class).buy("1")).getMessage());
      assertEquals(
          LockSpec.DEFAULT_BLOCKED_MESSAGE,
          blocked(() -> container.bean(Shop.class).sell("1")).getMessage());
    }
  }

  @Test
  void ttlAtEachLevel() {
    try (TestContainer container =
        start(
            Map.of(
                "concurrency-safe.ttl", "7s", CATALOGUED + "/refresh/ConcurrencySafe/ttl", "9s"))) {
      Catalogued catalogued = container.bean(Catalogued.class);
      assertBetween(
          8000,
          9000,
          pttlInside("lock:refresh:u1", () -> catalogued.refresh("u1")),
          "method config");
      assertBetween(
          3000,
          4000,
          pttlInside("lock:refresh:u2", () -> catalogued.refreshAnnotated("u2")),
          "annotation beats catalog");
      assertBetween(
          2000,
          3000,
          pttlInside("lock:refresh:u3", () -> catalogued.check("u3")),
          "catalog beats global");
      assertBetween(
          6000,
          7000,
          pttlInside("lock:shop:1", () -> container.bean(Shop.class).buy("1")),
          "global when nothing else");
    }
    try (TestContainer container = start(Map.of())) {
      assertBetween(
          9000,
          10000,
          pttlInside("lock:shop:1", () -> container.bean(Shop.class).buy("1")),
          "10 s by default");
    }
  }

  @Test
  void keyPrefixWaitTimeoutCooldownKeyAndExceptionOverrides() {
    try (TestContainer container =
        start(
            Map.of(
                "concurrency-safe.key-prefix",
                "app:",
                "concurrency-safe.wait-timeout",
                "5s",
                OTHER + "/run/ConcurrencySafe/key",
                "lock:renamed:{id}",
                SHOP + "/sell/ConcurrencySafe/cooldown",
                "20s",
                SHOP + "/sell/ConcurrencySafe/waitTimeout",
                "0ms",
                SHOP + "/sell/ConcurrencySafe/exception",
                Busy.class.getName()))) {
      Shop shop = container.bean(Shop.class);
      assertTrue(pttlInside("app:lock:shop:1", () -> shop.buy("1")) > 0, "key prefix applied");
      assertTrue(
          pttlInside("app:lock:renamed:1", () -> container.bean(Other.class).run("1")) > 0,
          "key overridden by config");

      // global wait-timeout: a lock held elsewhere for 300 ms more is waited for, not refused
      redis.command("SET", "{app:lock:shop:w}", "someone-else", "PX", "300");
      Beans.probe = () -> 42L;
      assertEquals(42L, shop.buy("w"));

      // method-level waitTimeout=0 and exception override; then the cooldown keeps the key
      holdElsewhere("app:lock:shop2:x");
      Busy busy = assertThrows(Busy.class, () -> shop.sell("x"));
      assertEquals(LockSpec.DEFAULT_BLOCKED_MESSAGE, busy.getMessage());
      Beans.probe = () -> 0L;
      shop.sell("c");
      assertBetween(
          15000, 20000, Redis.pttl(redis.server(), "{app:lock:shop2:c}"), "cooldown keeps the key");
    }
  }

  @Test
  void enabledFalseTurnsTheLockOffPerMethodAndPerClass() {
    try (TestContainer container =
        start(
            Map.of(
                SHOP + "/buy/ConcurrencySafe/enabled", "false",
                OTHER + "/ConcurrencySafe/enabled", "false"))) {
      holdElsewhere("lock:shop:1", "lock:shop2:1", "lock:other:1");
      Beans.probe = () -> 7L;
      assertEquals(7L, container.bean(Shop.class).buy("1"), "runs although the key is held");
      assertEquals(7L, container.bean(Other.class).run("1"), "class-level enabled=false");
      assertThrows(
          ConcurrencyException.class,
          () -> container.bean(Shop.class).sell("1"),
          "other methods keep their lock");
      Beans.probe = () -> redis.keyCount();
      assertEquals(3L, container.bean(Shop.class).buy("2"), "no key written for a disabled method");
    }
  }

  @Test
  void interceptorPriorityIsConfigurable() {
    Beans.observer = () -> Redis.exists(redis.server(), "{lock:shop2:p}");
    try (TestContainer container = start(Map.of())) {
      container.bean(Shop.class).sell("p");
      assertEquals(Boolean.TRUE, Beans.observedLockHeld, "default priority: the lock is outside");
    }
    Beans.observedLockHeld = null;
    try (TestContainer container = start(Map.of("concurrency-safe.interceptor-priority", "4010"))) {
      container.bean(Shop.class).sell("p");
      assertEquals(Boolean.FALSE, Beans.observedLockHeld, "priority 4010: the lock is inside");
    }
  }

  private static TestContainer start(Map<String, String> config) {
    Map<String, String> settings = new HashMap<>(config);
    settings.put("concurrency-safe.redis.address", redis.uri());
    return TestContainer.start(
        settings, Shop.class, Other.class, Catalogued.class, ObservingInterceptor.class);
  }

  /** Marks keys as held by another owner for a minute, directly in Redis. */
  private static void holdElsewhere(String... keys) {
    for (String key : keys) {
      redis.command("SET", "{" + key + "}", "someone-else", "PX", "60000");
    }
  }

  private static RuntimeException blocked(Runnable call) {
    return assertThrows(RuntimeException.class, call::run);
  }

  private static long pttlInside(String key, java.util.function.LongSupplier call) {
    Beans.probe = () -> Redis.pttl(redis.server(), "{" + key + "}");
    return call.getAsLong();
  }

  private static void assertBetween(long low, long high, long actual, String what) {
    assertTrue(
        actual > low && actual <= high,
        what + ": expected (" + low + ", " + high + "] but was " + actual);
  }
}
