package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.integration.Redaction;
import dev.concurrencysafe.spi.HealthProbe;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile Health readiness check {@value #NAME}: UP when the lock store answers a trivial
 * command through the runtime's manager within {@code concurrency-safe.health.timeout}, DOWN (with
 * a {@code reason}) otherwise. A manager the application supplied that is not a {@link HealthProbe}
 * cannot be asked, so the check reports UP with {@code probe=unsupported} rather than taking the
 * application out of rotation for something it cannot observe.
 *
 * <p>Deliberately carries no bean-defining annotation: bean discovery never sees it, and the
 * extensions register it only when the MP Health API can be loaded (see {@link
 * HealthCheckRegistration}), so applications without MP Health never link this class.
 *
 * <p>Thread-safety: stateless apart from the injected runtime, which is thread-safe after startup;
 * health endpoints may call {@link #call()} concurrently.
 */
@Readiness
public class ConcurrencySafeHealthCheck implements HealthCheck {

  /** The check's name in health responses. */
  public static final String NAME = "concurrency-safe";

  /** Any {@code scheme://user:password@} in a driver's message, whatever the configured address. */
  private static final int MAX_REASON_LENGTH = 300;

  private final ConcurrencySafeRuntime owner;

  @Inject
  public ConcurrencySafeHealthCheck(ConcurrencySafeRuntime owner) {
    this.owner = owner;
  }

  @Override
  public HealthCheckResponse call() {
    LockManager manager = owner.connectedManager();
    if (manager == null) {
      return down(Map.of(), "not connected: the container is starting or shutting down");
    }
    if (!(manager instanceof HealthProbe probe)) {
      return new HealthCheckResponse(
          NAME, HealthCheckResponse.Status.UP, Optional.of(Map.of("probe", "unsupported")));
    }
    Duration timeout = owner.healthTimeout();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("probe", "ping");
    data.put("timeout-ms", timeout.toMillis());
    long start = System.nanoTime();
    try {
      CompletableFuture<Void> answer = probe.ping().toCompletableFuture();
      // the manager bounds the ping by its unavailable timeout too; a probe wants a shorter one.
      // Not cancelled on our timeout: the future may be shared by a custom probe.
      answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      data.put("latency-ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      return new HealthCheckResponse(NAME, HealthCheckResponse.Status.UP, Optional.of(data));
    } catch (TimeoutException e) {
      return down(data, "no answer from the lock store within " + timeout.toMillis() + " ms");
    } catch (ExecutionException | CompletionException e) {
      return down(data, describe(e.getCause() == null ? e : e.getCause(), owner));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return down(data, "interrupted while waiting for the lock store");
    } catch (RuntimeException e) {
      return down(data, describe(e, owner));
    }
  }

  private static HealthCheckResponse down(Map<String, Object> data, String reason) {
    Map<String, Object> withReason = new LinkedHashMap<>(data);
    withReason.put("reason", reason);
    return new HealthCheckResponse(NAME, HealthCheckResponse.Status.DOWN, Optional.of(withReason));
  }

  /** The failure and its root cause, without credentials, short enough for a health response. */
  private static String describe(Throwable error, ConcurrencySafeRuntime owner) {
    String masked = owner.mask(Redaction.describe(error));
    return masked.length() <= MAX_REASON_LENGTH
        ? masked
        : masked.substring(0, MAX_REASON_LENGTH) + "...";
  }
}
