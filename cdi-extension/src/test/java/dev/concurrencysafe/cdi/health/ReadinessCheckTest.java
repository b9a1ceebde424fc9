package dev.concurrencysafe.cdi.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.spi.HealthProbe;
import dev.concurrencysafe.testing.RedisServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * The MicroProfile Health readiness check against a real, password-protected Redis: UP while it
 * answers, DOWN within the configured bound once it is stopped (no password in the response), UP
 * again after a restart; plus application managers that cannot or do not answer.
 */
class ReadinessCheckTest {

  private static final String PASSWORD = "h3alth-S3cret";

  /** Slack over the configured bound for a loaded 2-core CI machine. */
  private static final long SLACK_MS = 1500;

  @ApplicationScoped
  public static class Payments {
    @ConcurrencySafe(key = "lock:pay:{id}")
    public String pay(String id) {
      return "paid " + id;
    }
  }

  @Test
  void upWhileRedisAnswersDownWithinTheBoundWhenStoppedUpAgainAfterRestart() {
    try (RedisServer redis = RedisServer.start("--requirepass", PASSWORD);
        TestContainer container =
            TestContainer.start(
                Map.of(
                    // the password also in the address: neither may appear in a DOWN response
                    "concurrency-safe.redis.address",
                    "redis://:" + PASSWORD + "@127.0.0.1:" + redis.port(),
                    "concurrency-safe.redis.password",
                    PASSWORD,
                    "concurrency-safe.health.timeout",
                    "400ms"),
                Payments.class)) {
      HealthCheck check = readiness(container.weld());

      HealthCheckResponse up = check.call();
      assertEquals("concurrency-safe", up.getName());
      assertEquals(Status.UP, up.getStatus(), () -> String.valueOf(up.getData()));
      assertEquals("ping", data(up).get("probe"));
      assertEquals(400L, data(up).get("timeout-ms"));

      redis.stop();
      long start = System.nanoTime();
      HealthCheckResponse down = check.call();
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(Status.DOWN, down.getStatus(), () -> String.valueOf(down.getData()));
      assertTrue(
          elapsedMs < 400 + SLACK_MS, "answered within the bound, took " + elapsedMs + " ms");
      String reason = String.valueOf(data(down).get("reason"));
      assertFalse(reason.isBlank() || reason.equals("null"), "says why: " + down.getData());
      assertFalse(
          String.valueOf(down.getData()).contains(PASSWORD), "no password: " + down.getData());

      redis.restart();
      HealthCheckResponse again = awaitStatus(check, Status.UP, 30_000);
      assertEquals(
          Status.UP, again.getStatus(), () -> "UP again after restart: " + again.getData());
      assertEquals("paid 1", container.bean(Payments.class).pay("1"), "and locking works again");
    }
  }

  @Test
  void aProbeThatNeverAnswersIsDownWithinTheConfiguredBound() {
    SilentManager.failure = null;
    try (TestContainer container =
        TestContainer.start(
            Map.of("concurrency-safe.health.timeout", "300ms"), SilentManager.class)) {
      long start = System.nanoTime();
      HealthCheckResponse down = readiness(container.weld()).call();
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(Status.DOWN, down.getStatus());
      assertTrue(
          elapsedMs >= 300 && elapsedMs < 300 + SLACK_MS, "bounded by 300 ms, took " + elapsedMs);
      assertEquals("no answer from the lock store within 300 ms", data(down).get("reason"));
    }
  }

  @Test
  void aFailureMessageIsMaskedAndShortened() {
    // a driver message quoting a URI with credentials, and the configured password on its own
    SilentManager.failure =
        new IllegalStateException(
            "cannot reach rediss://admin:"
                + PASSWORD
                + "@redis.internal:6380 (auth "
                + PASSWORD
                + ")"
                + "x".repeat(1000));
    try (TestContainer container =
        TestContainer.start(
            Map.of("concurrency-safe.redis.password", PASSWORD), SilentManager.class)) {
      HealthCheckResponse down = readiness(container.weld()).call();
      assertEquals(Status.DOWN, down.getStatus());
      String reason = String.valueOf(data(down).get("reason"));
      assertTrue(
          reason.startsWith("IllegalStateException: cannot reach rediss://***@redis.internal:6380"),
          reason);
      assertFalse(reason.contains(PASSWORD) || reason.contains("admin"), reason);
      assertTrue(reason.length() <= 303, "shortened: " + reason.length());
    } finally {
      SilentManager.failure = null;
    }
  }

  @Test
  void anApplicationManagerWithoutProbeIsReportedUpAsUnsupported() {
    try (TestContainer container = TestContainer.start(Map.of(), PlainManager.class)) {
      HealthCheckResponse response = readiness(container.weld()).call();
      assertEquals(Status.UP, response.getStatus());
      assertEquals(Map.of("probe", "unsupported"), data(response));
    }
  }

  @Test
  void anInvalidTimeoutIsADefinitionError() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> {
              try (TestContainer container =
                  TestContainer.start(
                      Map.of("concurrency-safe.health.timeout", "soon"), PlainManager.class)) {
                container.weld();
              }
            });
    String text = String.valueOf(e.getMessage()) + e.getCause();
    assertTrue(
        text.contains("CSCDI001")
            && text.contains("concurrency-safe.health.timeout")
            && text.contains("'soon'"),
        text);
  }

  @Test
  void discoveryFindsExactlyOneCheck() {
    try (RedisServer redis = RedisServer.start()) {
      Config config =
          TestContainer.installConfig(Map.of("concurrency-safe.redis.address", redis.uri()));
      // discovery on: the check class is in the bean archive but has no bean-defining annotation,
      // so only the extension's registration makes it a bean (two would be ambiguous)
      try (SeContainer container =
          SeContainerInitializer.newInstance().addBeanClasses(Payments.class).initialize()) {
        Instance<HealthCheck> checks =
            container.select(HealthCheck.class, Readiness.Literal.INSTANCE);
        assertTrue(checks.isResolvable(), "exactly one readiness check");
        assertEquals(Status.UP, checks.get().call().getStatus());
      } finally {
        TestContainer.releaseConfig(config);
      }
    }
  }

  static HealthCheck readiness(Instance<Object> container) {
    Instance<HealthCheck> checks = container.select(HealthCheck.class, Readiness.Literal.INSTANCE);
    assertTrue(checks.isResolvable(), "one @Readiness HealthCheck bean");
    return checks.get();
  }

  private static Map<String, Object> data(HealthCheckResponse response) {
    return response.getData().orElseThrow();
  }

  /** Polls until the check reports {@code wanted} or the deadline passes; the last response. */
  private static HealthCheckResponse awaitStatus(
      HealthCheck check, Status wanted, long deadlineMs) {
    long deadline = System.nanoTime() + deadlineMs * 1_000_000;
    HealthCheckResponse last = check.call();
    while (last.getStatus() != wanted && System.nanoTime() < deadline) {
      LockSupport.parkNanos(20_000_000); // a polling interval, not a synchronisation
      last = check.call(); // each call is itself bounded by the health timeout
    }
    return last;
  }

  /** An application manager whose probe never answers, or fails with {@link #failure}. */
  @ApplicationScoped
  public static class SilentManager implements LockManager, HealthProbe {
    static volatile RuntimeException failure;
    private final LockManager delegate = LockManager.inMemory();

    @Override
    public CompletionStage<Void> ping() {
      RuntimeException error = failure;
      return error == null ? new CompletableFuture<>() : CompletableFuture.failedFuture(error);
    }

    @Override
    public LockSpec with(String key) {
      return delegate.with(key);
    }

    @Override
    public LockSpec with(LockKey key, Object... args) {
      return delegate.with(key, args);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** An application manager that is not a HealthProbe. */
  @ApplicationScoped
  public static class PlainManager implements LockManager {
    private final LockManager delegate = LockManager.inMemory();

    @Override
    public LockSpec with(String key) {
      return delegate.with(key);
    }

    @Override
    public LockSpec with(LockKey key, Object... args) {
      return delegate.with(key, args);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
