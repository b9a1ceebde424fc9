package dev.concurrencysafe.cdi.failedstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.concurrencysafe.Locks;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.internal.ConcurrencySafeExtension;
import dev.concurrencysafe.cdi.internal.ConcurrencySafeInterceptor;
import dev.concurrencysafe.cdi.testing.Redis;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisServer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Extension;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.jboss.weld.environment.se.Weld;
import org.junit.jupiter.api.Test;

/** Another extension fails the deployment after concurrency-safe connected: nothing may leak. */
class LaterDeploymentProblemTest {

  public static class FailingExtension implements Extension {
    void fail(@Observes @Priority(Integer.MAX_VALUE) AfterDeploymentValidation event) {
      event.addDeploymentProblem(new IllegalStateException("another extension refuses to start"));
    }
  }

  @ApplicationScoped
  public static class Jobs {
    @ConcurrencySafe(key = "lock:job:{id}")
    public String run(String id) {
      return id;
    }
  }

  @Test
  void clientClosedAndDefaultClearedWhenALaterObserverFailsTheDeployment() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      Config config =
          TestContainer.installConfig(Map.of("concurrency-safe.redis.address", redis.uri()));
      try {
        Weld weld =
            new Weld(UUID.randomUUID().toString())
                .disableDiscovery()
                .addExtension(new ConcurrencySafeExtension())
                .addExtension(new FailingExtension())
                .addBeanClasses(ConcurrencySafeInterceptor.class, Jobs.class);
        assertThrows(RuntimeException.class, weld::initialize);
      } finally {
        TestContainer.releaseConfig(config);
      }
      assertThrows(IllegalStateException.class, Locks::getDefault, "no default left installed");
      assertEquals(0, Redis.otherClientsAfterShutdown(redis), "no client left open");
    }
  }
}
