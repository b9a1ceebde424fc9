package dev.concurrencysafe.cdi.stereotype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.DefinitionException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code @ConcurrencySafe} declared on a stereotype (directly or through another stereotype) is
 * resolved and validated at deployment like one on the bean class. The nearest declaration wins:
 * the bean class's own, then its stereotypes' (a stereotype's own before a nested one's), then a
 * superclass's; two stereotypes at the same distance with different locks are a definition error
 * for the methods that would use them.
 */
class StereotypeTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();

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

  @ConcurrencySafe(key = "lock:base:{orderId}", blockedMessage = "base lock")
  public static class BaseDesk {
    public String place(String orderId) {
      return "placed " + orderId;
    }
  }

  @OrderGuard
  public static class GuardedSubDesk extends BaseDesk {}

  @OrderGuard
  @RefreshGuard
  public static class EveryMethodChoosesDesk {
    @ConcurrencySafe(key = "lock:chosen:{orderId}")
    public String place(String orderId) {
      return "chosen " + orderId;
    }
  }

  @PriorityOrderGuard
  public static class PriorityDesk {
    public String place(String orderId) {
      return "priority " + orderId;
    }
  }

  private TestContainer start(Class<?>... beans) {
    return TestContainer.start(settings(), beans);
  }

  private String definitionError(Class<?>... beans) {
    RuntimeException failed = TestContainer.deploymentFailure(settings(), beans);
    assertInstanceOf(DefinitionException.class, failed);
    return TestContainer.text(failed);
  }

  private Map<String, String> settings() {
    return Map.of("concurrency-safe.redis.address", redis.uri());
  }

  @Test
  void theStereotypesLockGuardsEveryBusinessMethod() {
    try (TestContainer container = start(OrderDesk.class)) {
      OrderDesk desk = container.bean(OrderDesk.class);
      redis.command("SET", "{lock:order:42}", "someone-else", "PX", "60000");
      ConcurrencyException blocked =
          assertThrows(ConcurrencyException.class, () -> desk.place("42"));
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
      assertEquals(
          "this order is being placed",
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
      assertEquals(
          "own lock", assertThrows(ConcurrencyException.class, () -> desk.place("1")).getMessage());
    }
  }

  @Test
  void theBeanClassesStereotypeWinsOverAnAnnotationInheritedFromItsSuperclass() {
    try (TestContainer container = start(GuardedSubDesk.class)) {
      GuardedSubDesk desk = container.bean(GuardedSubDesk.class);
      redis.command("SET", "{lock:base:1}", "someone-else", "PX", "60000");
      assertEquals("placed 1", desk.place("1"), "the superclass's key is not used");
      redis.command("SET", "{lock:order:1}", "someone-else", "PX", "60000");
      assertEquals(
          "this order is being placed",
          assertThrows(ConcurrencyException.class, () -> desk.place("1")).getMessage());
    }
  }

  @Test
  void aStereotypesOwnLockWinsOverTheOneOfAStereotypeItBuildsOn() {
    try (TestContainer container = start(PriorityDesk.class)) {
      PriorityDesk desk = container.bean(PriorityDesk.class);
      redis.command("SET", "{lock:order:5}", "someone-else", "PX", "60000");
      assertEquals("priority 5", desk.place("5"));
      redis.command("SET", "{lock:priority:5}", "someone-else", "PX", "60000");
      assertEquals(
          "this priority order is being placed",
          assertThrows(ConcurrencyException.class, () -> desk.place("5")).getMessage());
    }
  }

  @Test
  void conflictingStereotypesAreNoProblemWhereEveryMethodChoosesItsOwnLock() {
    try (TestContainer container = start(EveryMethodChoosesDesk.class)) {
      EveryMethodChoosesDesk desk = container.bean(EveryMethodChoosesDesk.class);
      redis.command("SET", "{lock:chosen:3}", "someone-else", "PX", "60000");
      assertThrows(ConcurrencyException.class, () -> desk.place("3"));
      assertEquals("chosen 4", desk.place("4"));
    }
  }

  @Test
  void aBrokenStereotypeFailsTheDeploymentNamingTheBeanMethodAndTheStereotype() {
    String message = definitionError(BrokenDesk.class);
    String where =
        BrokenDesk.class.getName() + "#place (through @" + BrokenGuard.class.getName() + ")";
    assertTrue(message.contains("CSCDI001 " + where), message);
    assertTrue(message.contains("CSCDI002 " + where), message);
    assertEquals(0, redis.keyCount());
  }

  @Test
  void twoStereotypesWithDifferentLocksAreADefinitionError() {
    String message = definitionError(TwoLocksDesk.class);
    assertTrue(message.contains("CSCDI012 " + TwoLocksDesk.class.getName() + "#place: "), message);
    assertTrue(message.contains("@" + OrderGuard.class.getName()), message);
    assertTrue(message.contains("@" + RefreshGuard.class.getName()), message);
  }
}
