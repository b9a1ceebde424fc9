package dev.concurrencysafe.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisServer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * Without the MicroProfile Health API the extension registers no check and works as before. One
 * class path cannot lack the API and have it, so the extension is given a class loader that hides
 * the API (the seam the production constructor fills with the extension's own loader).
 */
class HealthApiAbsentTest {

  /** The test class path, minus MP Health. */
  static final class HidingHealthApi extends ClassLoader {
    HidingHealthApi() {
      super(HealthApiAbsentTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("org.eclipse.microprofile.health.")) {
        throw new ClassNotFoundException(name);
      }
      return super.loadClass(name, resolve);
    }
  }

  @ApplicationScoped
  public static class Jobs {
    @ConcurrencySafe(key = "lock:job:{id}")
    public String run(String id) {
      return "ran " + id;
    }
  }

  @Test
  void apiLookupFollowsTheGivenLoader() {
    assertTrue(HealthCheckRegistration.apiPresent(HealthApiAbsentTest.class.getClassLoader()));
    assertFalse(HealthCheckRegistration.apiPresent(new HidingHealthApi()));
  }

  @Test
  void noCheckIsRegisteredWhenTheApiCannotBeLoaded() {
    try (RedisServer redis = RedisServer.start();
        TestContainer container =
            TestContainer.start(
                new ConcurrencySafeExtension(new HidingHealthApi()),
                Map.of("concurrency-safe.redis.address", redis.uri()),
                Jobs.class)) {
      assertTrue(
          container.weld().select(HealthCheck.class, Readiness.Literal.INSTANCE).isUnsatisfied(),
          "no readiness check bean");
      assertEquals("ran 1", container.bean(Jobs.class).run("1"));
      redis.command("SET", "{lock:job:2}", "someone-else", "PX", "60000");
      assertThrows(
          ConcurrencyException.class,
          () -> container.bean(Jobs.class).run("2"),
          "still intercepted");
    }
  }

  @Test
  void theCheckIsRegisteredWhenTheApiIsPresent() {
    try (RedisServer redis = RedisServer.start();
        TestContainer container =
            TestContainer.start(
                Map.of("concurrency-safe.redis.address", redis.uri()), Jobs.class)) {
      assertTrue(
          container.weld().select(HealthCheck.class, Readiness.Literal.INSTANCE).isResolvable());
    }
  }
}
