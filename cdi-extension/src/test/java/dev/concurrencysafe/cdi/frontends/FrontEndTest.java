package dev.concurrencysafe.cdi.frontends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.internal.ConcurrencySafeInterceptor;
import dev.concurrencysafe.cdi.internal.ConcurrencySafeLiteExtension;
import dev.concurrencysafe.cdi.internal.LiteLifecycle;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.build.compatible.spi.BeanInfo;
import jakarta.enterprise.inject.build.compatible.spi.ClassConfig;
import jakarta.enterprise.inject.build.compatible.spi.Enhancement;
import jakarta.enterprise.inject.build.compatible.spi.InterceptorInfo;
import jakarta.enterprise.inject.build.compatible.spi.Messages;
import jakarta.enterprise.inject.build.compatible.spi.Registration;
import jakarta.enterprise.inject.build.compatible.spi.Synthesis;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.build.compatible.spi.Validation;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.Config;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which front-end prepares the interceptor: the build-compatible one (what Quarkus runs) works on
 * Weld too when the portable one is absent, and with neither the interceptor fails closed.
 */
class FrontEndTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();

  static final AtomicInteger RUNS = new AtomicInteger();
  static volatile CountDownLatch entered = new CountDownLatch(0);
  static volatile CountDownLatch release = new CountDownLatch(0);

  @ApplicationScoped
  public static class Rewards {
    @ConcurrencySafe(key = "lock:reward:{userId}")
    public String give(String userId) throws InterruptedException {
      RUNS.incrementAndGet();
      entered.countDown();
      release.await(20, TimeUnit.SECONDS);
      return "rewarded " + userId;
    }
  }

  @Test
  void withoutAnyExtensionTheFirstCallFailsClosedWithCscdi013AndTheBodyDoesNotRun() {
    RUNS.set(0);
    Config config =
        TestContainer.installConfig(Map.of("concurrency-safe.redis.address", redis.uri()));
    try (WeldContainer weld =
        weld(new ServiceFilter(ServiceFilter.PORTABLE, ServiceFilter.BUILD_COMPATIBLE))
            .addBeanClasses(ConcurrencySafeInterceptor.class, Rewards.class)
            .initialize()) {
      IllegalStateException failure =
          assertThrows(
              IllegalStateException.class, () -> weld.select(Rewards.class).get().give("u1"));
      String message = failure.getMessage();
      assertTrue(
          message.startsWith(
              "CSCDI013 "
                  + Rewards.class.getName()
                  + "#give: the @ConcurrencySafe"
                  + " interceptor is active but no concurrency-safe extension prepared it"),
          message);
      assertTrue(
          message.contains("ConcurrencySafeExtension")
              && message.contains("ConcurrencySafeLiteExtension")
              && message.contains("META-INF/services"),
          "says how to fix it: " + message);
      assertEquals(0, RUNS.get(), "the method body did not run");
    } finally {
      TestContainer.releaseConfig(config);
    }
  }

  @Test
  void theBuildCompatibleFrontEndAloneLetsOneOfTwoConcurrentCallsRun() throws Exception {
    RUNS.set(0);
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
    Config config =
        TestContainer.installConfig(Map.of("concurrency-safe.redis.address", redis.uri()));
    try (WeldContainer weld =
        lite()
            .addBeanClasses(ConcurrencySafeInterceptor.class, LiteLifecycle.class, Rewards.class)
            .initialize()) {
      Rewards rewards = weld.select(Rewards.class).get();
      CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> give(rewards, "u2"));
      assertTrue(entered.await(20, TimeUnit.SECONDS), "the first call runs");
      assertThrows(
          ConcurrencyException.class, () -> rewards.give("u2"), "the duplicate is rejected");
      release.countDown();
      assertEquals("rewarded u2", first.get(20, TimeUnit.SECONDS));
      assertEquals(1, RUNS.get());
    } finally {
      TestContainer.releaseConfig(config);
    }
  }

  @Test
  void theBuildCompatibleFrontEndReportsProblemsWithTheSameIdsAtStart() {
    Config config =
        TestContainer.installConfig(
            Map.of(
                "concurrency-safe.redis.address",
                redis.uri(),
                Rewards.class.getName() + "/give/ConcurrencySafe/ttl",
                "forever"));
    try {
      Weld weld =
          lite()
              .addBeanClasses(ConcurrencySafeInterceptor.class, LiteLifecycle.class, Rewards.class);
      RuntimeException failure =
          assertThrows(RuntimeException.class, () -> weld.initialize().close());
      String text = TestContainer.text(failure);
      assertTrue(
          text.contains(
              "CSCDI001 "
                  + Rewards.class.getName()
                  + "#give: ttl (from config key '"
                  + Rewards.class.getName()
                  + "/give/ConcurrencySafe/ttl')"),
          text);
    } finally {
      TestContainer.releaseConfig(config);
    }
  }

  @Test
  void theBuildCompatibleFrontEndRefusesToStartWhenTheInterceptorIsNotActive() {
    Config config =
        TestContainer.installConfig(Map.of("concurrency-safe.redis.address", redis.uri()));
    try {
      // as with quarkus.arc.exclude-types=...ConcurrencySafeInterceptor: annotated beans, no
      // interceptor
      Weld weld = lite().addBeanClasses(LiteLifecycle.class, Rewards.class);
      RuntimeException failure =
          assertThrows(RuntimeException.class, () -> weld.initialize().close());
      String text = TestContainer.text(failure);
      assertTrue(
          text.contains(
              "CSCDI014 "
                  + Rewards.class.getName()
                  + ": @ConcurrencySafe is used but its"
                  + " interceptor "
                  + ConcurrencySafeInterceptor.class.getName()
                  + " is not an active bean"),
          text);
    } finally {
      TestContainer.releaseConfig(config);
    }
  }

  private static String give(Rewards rewards, String userId) {
    try {
      return rewards.give(userId);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The build-compatible extension without its skip marker: Weld skips every build-compatible
   * extension marked {@code @SkipIfPortableExtensionPresent}, whichever extension it names, and
   * reads the phases from declared methods only, so each is re-declared here.
   */
  public static class LiteFrontEnd extends ConcurrencySafeLiteExtension {
    @Override
    @Enhancement(types = ConcurrencySafeInterceptor.class)
    public void prioritiseInterceptor(ClassConfig interceptor) {
      super.prioritiseInterceptor(interceptor);
    }

    @Override
    @Registration(types = ConcurrencySafeInterceptor.class)
    public void interceptorFound(InterceptorInfo interceptor) {
      super.interceptorFound(interceptor);
    }

    @Override
    @Registration(types = Object.class)
    public void collect(BeanInfo bean) {
      super.collect(bean);
    }

    @Override
    @Synthesis
    public void synthesise(SyntheticComponents components) {
      super.synthesise(components);
    }

    @Override
    @Validation
    public void validate(Messages messages) {
      super.validate(messages);
    }
  }

  private static Weld lite() {
    return weld(new ServiceFilter(ServiceFilter.PORTABLE, ServiceFilter.BUILD_COMPATIBLE))
        .addBuildCompatibleExtensions(LiteFrontEnd.class);
  }

  private static Weld weld(ClassLoader loader) {
    return new Weld(UUID.randomUUID().toString()).disableDiscovery().setClassLoader(loader);
  }
}
