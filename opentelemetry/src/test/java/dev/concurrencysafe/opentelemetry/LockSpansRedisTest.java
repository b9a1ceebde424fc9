package dev.concurrencysafe.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.spi.StoreRefusedException;
import dev.concurrencysafe.testing.RedisServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;

/** Lock spans on a real redis-server, including what only a real store can do: fail and refuse. */
class LockSpansRedisTest extends LockSpansContract {

  static RedisServer redis;
  static RedissonClient client;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
    client = client(redis, null, null);
  }

  @AfterAll
  static void stopRedis() {
    try {
      if (client != null) {
        client.shutdown(0, 2, TimeUnit.SECONDS);
      }
    } finally {
      redis.close();
    }
  }

  @BeforeEach
  void flush() {
    redis.command("FLUSHALL");
  }

  @Override
  LockManager manager(LockInstrumentation instrumentation) {
    return LockManager.builder()
        .unavailableTimeout(Duration.ofSeconds(2))
        .instrumentation(instrumentation)
        .redisson(client);
  }

  @Test
  void anUnreachableStoreIsUnavailableAndAnErrorForTheCaller() {
    try (RedisServer doomed = RedisServer.start()) {
      RedissonClient doomedClient = client(doomed, null, null);
      try (LockManager locks =
          LockManager.builder()
              .unavailableTimeout(Duration.ofMillis(500))
              .instrumentation(tracing)
              .redisson(doomedClient)) {
        doomed.stop();
        assertThrows(
            LockUnavailableException.class,
            () -> locks.with(CacheKey.PURCHASE, USER).run(() -> {}));
      } finally {
        doomedClient.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }
    SpanData lock = span(PURCHASE_SPAN);
    assertEquals("unavailable", lock.getAttributes().get(LockAttributes.OUTCOME));
    assertEquals(StatusCode.ERROR, lock.getStatus().getStatusCode());
    assertEquals(
        LockUnavailableException.class.getName(),
        lock.getAttributes().get(LockAttributes.ERROR_TYPE));
    assertTrue(eventNames(lock).contains(LockAttributes.EVENT_STORE_ERROR), lock::toString);
    // the exception's message and stack trace name the key, and show its name in its place
    assertFalse(lock.toString().contains(USER), lock::toString);
    assertTrue(lock.toString().contains("<CacheKey.PURCHASE>"), lock::toString);
  }

  @Test
  void aFailOpenRunDuringAnOutageIsUnavailableButNoErrorAndTheBodysSpanIsStillInside() {
    boolean ran;
    try (RedisServer doomed = RedisServer.start()) {
      RedissonClient doomedClient = client(doomed, null, null);
      try (LockManager locks =
          LockManager.builder()
              .unavailableTimeout(Duration.ofMillis(500))
              .instrumentation(tracing)
              .redisson(doomedClient)) {
        doomed.stop();
        ran =
            locks
                .with(CacheKey.PURCHASE, USER)
                .failOpen()
                .call(
                    () -> {
                      tracer.spanBuilder("unprotected body").startSpan().end();
                      return true;
                    });
      } finally {
        doomedClient.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }
    assertTrue(ran);
    SpanData lock = span(PURCHASE_SPAN);
    assertEquals("unavailable", lock.getAttributes().get(LockAttributes.OUTCOME));
    // the caller got the body's result, no exception: not an error, the cause is an event
    assertEquals(StatusCode.UNSET, lock.getStatus().getStatusCode());
    assertEquals(List.of(LockAttributes.EVENT_STORE_ERROR), eventNames(lock));
    assertEquals(lock.getSpanId(), span("unprotected body").getParentSpanId());
    assertFalse(lock.toString().contains(USER), lock::toString);
  }

  @Test
  void aRefusalByTheStoreIsRefusedNotUnavailable() {
    try (RedisServer own = RedisServer.start()) {
      own.command(
          "ACL", "SETUSER", "app", "on", ">app-secret", "~*", "&*", "+@all", "-evalsha", "-eval");
      RedissonClient appClient = client(own, "app", "app-secret");
      try (LockManager locks =
          LockManager.builder()
              .unavailableTimeout(Duration.ofSeconds(2))
              .instrumentation(tracing)
              .redisson(appClient)) {
        assertThrows(
            LockUnavailableException.class,
            () -> locks.with(CacheKey.PURCHASE, USER).run(() -> {}));
      } finally {
        appClient.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }
    SpanData lock = span(PURCHASE_SPAN);
    assertEquals("refused", lock.getAttributes().get(LockAttributes.OUTCOME));
    assertEquals(StatusCode.ERROR, lock.getStatus().getStatusCode());
    EventData storeError =
        lock.getEvents().stream()
            .filter(e -> e.getName().equals(LockAttributes.EVENT_STORE_ERROR))
            .findFirst()
            .orElseThrow();
    assertTrue(
        storeError
            .getAttributes()
            .get(AttributeKey.stringKey("exception.message"))
            .contains("NOPERM"),
        storeError::toString);
    assertTrue(
        storeError
            .getAttributes()
            .get(AttributeKey.stringKey("exception.stacktrace"))
            .contains(StoreRefusedException.class.getName()),
        storeError::toString);
    assertFalse(lock.toString().contains(USER), lock::toString);
  }

  @Test
  void aLeaseLostUnderTheBodyIsAnAttributeAndAnEvent() throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
    try (LockManager locks =
        LockManager.builder()
            .instrumentation(tracing)
            .listener(lostWatcher(lost))
            .redisson(client)) {
      try (Lease lease = locks.with(CacheKey.FLAKY, USER).acquire()) {
        // the store loses the key under the running body: the next renewal (ttl/3 = 100 ms) fails
        assertEquals("1", redis.command("DEL", "{" + lease.key() + "}"));
        assertTrue(lost.await(5, TimeUnit.SECONDS), "no LEASE_LOST within 5 s");
      }
    }
    SpanData lock = span("lock CacheKey.FLAKY");
    assertEquals("acquired", lock.getAttributes().get(LockAttributes.OUTCOME));
    assertEquals(true, lock.getAttributes().get(LockAttributes.LEASE_LOST));
    assertEquals(List.of(LockAttributes.EVENT_LEASE_LOST), eventNames(lock));
    assertFalse(lock.toString().contains(USER), lock::toString);
  }

  @Test
  void anOutageDuringTheHoldRecordsRenewalFailuresAndTheLostLease() throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
    try (RedisServer doomed = RedisServer.start()) {
      RedissonClient doomedClient = client(doomed, null, null);
      try (LockManager locks =
          LockManager.builder()
              .unavailableTimeout(Duration.ofMillis(500))
              .instrumentation(tracing)
              .listener(lostWatcher(lost))
              .redisson(doomedClient)) {
        Lease lease = locks.with(CacheKey.FLAKY, USER).acquire();
        doomed.stop(); // renewals now fail; after the 300 ms ttl nobody can vouch for the lock
        assertTrue(lost.await(5, TimeUnit.SECONDS), "no LEASE_LOST within 5 s of the outage");
        lease.close();
      } finally {
        doomedClient.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }
    SpanData lock = span("lock CacheKey.FLAKY");
    List<String> events = eventNames(lock);
    assertTrue(events.contains(LockAttributes.EVENT_RENEWAL_FAILED), events::toString);
    assertTrue(events.contains(LockAttributes.EVENT_LEASE_LOST), events::toString);
    assertEquals(true, lock.getAttributes().get(LockAttributes.LEASE_LOST));
    assertFalse(lock.toString().contains(USER), lock::toString);
  }

  /** Called after the tracing (instrumentations run in the order added): the span has it. */
  private static LockListener lostWatcher(CountDownLatch lost) {
    return event -> {
      if (event.type() == LockEvent.Type.LEASE_LOST) {
        lost.countDown();
      }
    };
  }

  private static List<String> eventNames(SpanData span) {
    return span.getEvents().stream().map(EventData::getName).toList();
  }

  private static RedissonClient client(RedisServer server, String user, String password) {
    Config config = new Config();
    var single =
        config
            .useSingleServer()
            .setAddress(server.uri())
            .setTimeout(500)
            .setRetryAttempts(1)
            .setRetryDelay(new ConstantDelay(Duration.ofMillis(100)))
            .setConnectTimeout(500);
    if (user != null) {
      single.setUsername(user).setPassword(password);
    }
    return Redisson.create(config);
  }
}
