package dev.concurrencysafe.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.testing.Await;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On ArC the client the library built from {@code concurrency-safe.redis.address} is closed when
 * the application stops: once it has, the server has no client connection left (checked after the
 * application's shutdown, before the server is stopped).
 */
class CleanShutdownAppTest {

  @Alternative
  @ApplicationScoped
  public static class Jobs {
    @ConcurrencySafe(key = "lock:job:{id}")
    public String run(String id) {
      return "ran " + id;
    }
  }

  @RegisterExtension
  static final QuarkusUnitTest APP =
      UnitApps.withoutTheShop()
          .withApplicationRoot(jar -> jar.addClasses(UnitApps.class, Jobs.class, AppRedis.class))
          .overrideConfigKey("quarkus.arc.selected-alternatives", Jobs.class.getName())
          .overrideRuntimeConfigKey("concurrency-safe.redis.address", "${" + AppRedis.ADDRESS + "}")
          .setBeforeAllCustomizer(AppRedis::start)
          .setAfterAllCustomizer(CleanShutdownAppTest::noClientLeftThenStop);

  @Inject Jobs jobs;

  @Test
  void theLibraryConnectsItsOwnClient() {
    assertEquals("ran 1", jobs.run("1"));
    assertTrue(AppRedis.otherClients() > 0, "the library's client is connected while the app runs");
  }

  private static void noClientLeftThenStop() {
    try {
      // the server notices closed sockets asynchronously
      Await.until(
          "no client connection left after the application stopped",
          Duration.ofSeconds(10),
          () -> AppRedis.otherClients() == 0);
    } finally {
      AppRedis.stop();
    }
  }
}
