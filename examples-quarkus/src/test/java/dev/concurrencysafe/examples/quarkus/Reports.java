package dev.concurrencysafe.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asynchronous work guarded through a stereotype; {@code preview} has its lock turned off by
 * configuration in {@link LiteFeaturesTest}.
 *
 * <p>Thread-safety: thread-safe.
 */
@ReportGuard
@ApplicationScoped
public class Reports {

  /** The work each call returns, completed by the test. */
  static final Map<String, CompletableFuture<String>> WORK = new ConcurrentHashMap<>();

  public CompletableFuture<String> generate(String id) {
    return WORK.get(id);
  }

  public CompletableFuture<String> preview(String id) {
    return WORK.get(id);
  }
}
