package dev.concurrencysafe.spi;

import java.util.concurrent.CompletionStage;

/**
 * Implemented by the managers this library creates, for health checks: {@code if (manager
 * instanceof HealthProbe probe) probe.ping()}.
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
public interface HealthProbe {

  /** Completes when the lock store answered a trivial command; exceptionally if it cannot. */
  CompletionStage<Void> ping();
}
