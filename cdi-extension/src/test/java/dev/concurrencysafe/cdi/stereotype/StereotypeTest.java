package dev.concurrencysafe.cdi.stereotype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.DefinitionException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @ConcurrencySafe} declared on a stereotype (directly or through another stereotype) is
 * resolved and validated at deployment like one on the bean class; the bean class's own annotation
 * wins over its stereotypes'; two stereotypes with different locks are a definition error.
 */
class StereotypeTest {

  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void emptyRedis() {
    redis.command("FLUSHALL");
  }

  @OrderGuard
  public static class OrderDesk {
    public String place(String orderId) {
      return "placed " + orderId;
    }
  }

  @AuditedOrderGuard
  @ApplicationScoped
  public static class AuditedOrderDesk {
    public String place(String orderId) {
      return "audited " + orderId;
    }
  }

  @OrderGuard
  @ConcurrencySafe(key = "lock:own:{orderId}", blockedMessage = "own lock")
  public static class OwnLockDesk {
    public String place(String orderId) {
      return "own " + orderId;
    }
  }

  @BrokenGuard
  @ApplicationScoped
  public static class BrokenDesk {
    public String place(String orderId) {
      return "never";
    }
  }

  @OrderGuard
  @RefreshGuard
  public static class TwoLocksDesk {
    public String place(String orderId) {
      return "never";
    }
  }

  private TestContainer start(Class<?>... beans) {
    return TestContainer.start(Map.of("concurrency-safe.redis.address", redis.uri()), beans);
  }

  @Test
  void theStereotypesLockGuardsEveryBusinessMethod() {
    try (TestContainer container = start(OrderDesk.class)) {
      OrderDesk desk = container.bean(OrderDesk.class);
      redis.command("SET", "{lock:order:42}", "someone-else", "PX", "60000");
      ConcurrencyException blocked = assertThrows(ConcurrencyException.class, () -> desk.place("42"));
      assertEquals("this order is being placed", blocked.getMessage());
      assertEquals("lock:order:42", blocked.key());
      assertEquals("placed 43", desk.place("43"));
    }
  }

  @Test
  void aStereotypeOnAStereotypeCarriesTheLock() {
    try (TestContainer container = start(AuditedOrderDesk.class)) {
      AuditedOrderDesk desk = container.bean(AuditedOrderDesk.class);
      redis.command("SET", "{lock:order:7}", "someone-else", "PX", "60000");
      assertEquals("this order is being placed",
          assertThrows(ConcurrencyException.class, () -> desk.place("7")).getMessage());
      assertEquals("audited 8", desk.place("8"));
    }
  }

  @Test
  void theBeanClassesOwnAnnotationWinsOverItsStereotypes() {
    try (TestContainer container = start(OwnLockDesk.class)) {
      OwnLockDesk desk = container.bean(OwnLockDesk.class);
      redis.command("SET", "{lock:order:1}", "someone-else", "PX", "60000");
      assertEquals("own 1", desk.place("1"), "the stereotype's key is not used");
      redis.command("SET", "{lock:own:1}", "someone-else", "PX", "60000");
      assertEquals("own lock", assertThrows(ConcurrencyException.class, () -> desk.place("1")).getMessage());
    }
  }

  @Test
  void aBrokenStereotypeFailsTheDeploymentNamingTheBeanMethodAndTheStereotype() {
    DefinitionException failed = assertThrows(DefinitionException.class, () -> start(BrokenDesk.class).close());
    String message = allMessages(failed);
    String where = BrokenDesk.class.getName() + "#place (through @" + BrokenGuard.class.getName() + ")";
    assertTrue(message.contains("CSCDI001 " + where), message);
    assertTrue(message.contains("CSCDI002 " + where), message);
    assertEquals(0, redis.keyCount());
  }

  @Test
  void twoStereotypesWithDifferentLocksAreADefinitionError() {
    DefinitionException failed = assertThrows(DefinitionException.class, () -> start(TwoLocksDesk.class).close());
    String message = allMessages(failed);
    assertTrue(message.contains("CSCDI012 " + TwoLocksDesk.class.getName()), message);
    assertTrue(message.contains("@" + OrderGuard.class.getName()), message);
    assertTrue(message.contains("@" + RefreshGuard.class.getName()), message);
  }

  private static String allMessages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
      for (Throwable suppressed : t.getSuppressed()) {
        all.append(suppressed.getMessage()).append('\n');
      }
    }
    return all.toString();
  }
}
