package dev.concurrencysafe.examples.quarkus;

import static dev.concurrencysafe.cdi.ConcurrencySafe.OnBusy.SKIP;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asynchronous work guarded through a stereotype; {@code preview} has its lock turned off by
 * configuration in {@link LiteFeaturesTest}; {@code sweep} skips while its key is held.
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

  /** A job every node fires: while one call holds the key, the others skip. */
  @ConcurrencySafe(key = "job:sweep:{id}", onBusy = SKIP)
  public CompletableFuture<Optional<String>> sweep(String id) {
    return WORK.get(id).thenApply(Optional::of);
  }
}
