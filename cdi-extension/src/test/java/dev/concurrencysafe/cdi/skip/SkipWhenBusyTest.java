package dev.concurrencysafe.cdi.skip;

import static dev.concurrencysafe.cdi.ConcurrencySafe.OnBusy.SKIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.LogCapture;
import dev.concurrencysafe.testing.RedisExtension;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;

/**
 * {@code onBusy = SKIP}: a method whose key is held elsewhere does not run and returns "did not
 * run" for its return type; other return types are CSCDI015 at deployment.
 */
class SkipWhenBusyTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();

  static final AtomicInteger RUNS = new AtomicInteger();

  static RedissonClient client(String uri) {
    org.redisson.config.Config config = new org.redisson.config.Config();
    config.useSingleServer().setAddress(uri);
    return org.redisson.Redisson.create(config);
  }

  private TestContainer container;

  @AfterEach
  void stop() {
    if (container != null) {
      container.close();
    }
    RUNS.set(0);
  }

  @ApplicationScoped
  public static class Jobs {
    @ConcurrencySafe(key = "job:sweep", onBusy = SKIP)
    public void sweep() {
      RUNS.incrementAndGet();
    }

    @ConcurrencySafe(key = "job:report", onBusy = SKIP)
    public Optional<String> report() {
      RUNS.incrementAndGet();
      return Optional.of("report");
    }

    @ConcurrencySafe(key = "job:async-sweep", onBusy = SKIP)
    public CompletionStage<Void> asyncSweep() {
      RUNS.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    }

    @ConcurrencySafe(key = "job:async-report", onBusy = SKIP)
    public CompletableFuture<Optional<String>> asyncReport() {
      RUNS.incrementAndGet();
      return CompletableFuture.completedFuture(Optional.of("async report"));
    }

    /** REFUSE in the annotation, SKIP through configuration. */
    @ConcurrencySafe(key = "job:configured")
    public void configured() {
      RUNS.incrementAndGet();
    }
  }

  @Test
  void everySupportedReturnTypeSaysDidNotRunWhileTheKeyIsHeldElsewhere() throws Exception {
    container =
        TestContainer.start(
            Map.of(
                "concurrency-safe.redis.address",
                redis.uri(),
                SkipWhenBusyTest.Jobs.class.getName() + "/configured/ConcurrencySafe/onBusy",
                "skip"),
            Jobs.class);
    Jobs jobs = container.bean(Jobs.class);
    RedissonClient client = client(redis.uri());
    try (LockManager elsewhere = LockManager.redisson(client);
        LogCapture log = LogCapture.library()) {
      List<String> keys =
          List.of(
              "job:sweep", "job:report", "job:async-sweep", "job:async-report", "job:configured");
      List<Lease> held = keys.stream().map(key -> elsewhere.with(key).acquire()).toList();
      jobs.sweep();
      assertEquals(Optional.empty(), jobs.report());
      assertNull(jobs.asyncSweep().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertEquals(Optional.empty(), jobs.asyncReport().get(10, TimeUnit.SECONDS));
      jobs.configured();
      assertEquals(0, RUNS.get(), "nothing ran while the keys were held elsewhere");
      assertEquals(List.of(), log.messages(Level.WARNING), "skips are not warnings");
      held.forEach(Lease::close);

      jobs.sweep();
      assertEquals(Optional.of("report"), jobs.report());
      jobs.asyncSweep().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(Optional.of("async report"), jobs.asyncReport().get(10, TimeUnit.SECONDS));
      jobs.configured();
      assertEquals(5, RUNS.get(), "each ran once the keys were free");
      assertEquals(0, redis.keyCount(), "every lock released");
    } finally {
      client.shutdown();
    }
  }

  @ApplicationScoped
  public static class Refusing {
    @ConcurrencySafe(key = "job:refusing")
    public void run() {
      RUNS.incrementAndGet();
    }
  }

  @Test
  void refuseStaysTheDefault() {
    container =
        TestContainer.start(Map.of("concurrency-safe.redis.address", redis.uri()), Refusing.class);
    RedissonClient client = client(redis.uri());
    try (LockManager elsewhere = LockManager.redisson(client);
        Lease held = elsewhere.with("job:refusing").acquire()) {
      assertThrows(ConcurrencyException.class, () -> container.bean(Refusing.class).run());
      assertTrue(held.isValid());
    } finally {
      client.shutdown();
    }
  }

  @ApplicationScoped
  public static class Unsupported {
    @ConcurrencySafe(key = "job:count", onBusy = SKIP)
    public int count() {
      return 1;
    }

    @ConcurrencySafe(key = "job:given", onBusy = SKIP)
    public boolean given() {
      return true;
    }

    @ConcurrencySafe(key = "job:stage", onBusy = SKIP)
    public CompletionStage<String> stage() {
      return CompletableFuture.completedFuture("x");
    }

    /** SKIP through configuration on an unsupported type fails the same way. */
    @ConcurrencySafe(key = "job:name")
    public String name() {
      return "x";
    }

    @ConcurrencySafe(key = "job:typo")
    public void typo() {}
  }

  @Test
  void skipOnAReturnTypeThatCannotSayDidNotRunIsADeploymentError() {
    String prefix = Unsupported.class.getName();
    String text =
        TestContainer.text(
            TestContainer.deploymentFailure(
                Map.of(
                    "concurrency-safe.redis.address",
                    redis.uri(),
                    prefix + "/name/ConcurrencySafe/onBusy",
                    "SKIP",
                    prefix + "/typo/ConcurrencySafe/onBusy",
                    "sometimes"),
                Unsupported.class));
    assertTrue(
        text.contains(
            "CSCDI015 "
                + prefix
                + "#count: onBusy = SKIP needs a return type that"
                + " can say \"did not run\", but the method returns int; return void, Optional<T>,"
                + " CompletionStage<Void> or CompletionStage<Optional<T>>"),
        text);
    assertTrue(
        text.contains(
            "CSCDI015 "
                + prefix
                + "#given: onBusy = SKIP needs a return type that"
                + " can say \"did not run\", but the method returns boolean (false already means"),
        text);
    assertTrue(
        text.contains(
            "CSCDI015 "
                + prefix
                + "#stage: onBusy = SKIP needs a return type"
                + " that can say \"did not run\", but the method returns"
                + " java.util.concurrent.CompletionStage<java.lang.String>"),
        text);
    assertTrue(text.contains("CSCDI015 " + prefix + "#name:"), text);
    assertTrue(
        text.contains(
            "CSCDI010 "
                + prefix
                + "#typo: onBusy 'sometimes' (from config key '"
                + prefix
                + "/typo/ConcurrencySafe/onBusy') must be REFUSE or SKIP"),
        text);
    assertEquals(0, redis.keyCount(), "a failed deployment writes nothing");
  }
}
