package dev.concurrencysafe.cdi.measure;

import dev.concurrencysafe.Locks;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisServer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A rough, single-threaded latency probe (not a test, not JMH): the DSL vs a synchronous and an
 * asynchronous {@code @ConcurrencySafe} method, each an uncontended acquire + release on a real
 * local Redis. Run with {@code cdi-extension/measure-overhead.sh}.
 *
 * <p>Thread-safety: a main program.
 */
public final class InterceptorOverhead {

  private InterceptorOverhead() {}

  @ApplicationScoped
  public static class Service {
    @ConcurrencySafe(key = "lock:sync:{id}")
    public int sync(int id) {
      return id;
    }

    @ConcurrencySafe(key = "lock:async:{id}")
    public CompletableFuture<Integer> async(int id) {
      return CompletableFuture.completedFuture(id);
    }

    public int dsl(int id) {
      return Locks.with("lock:dsl:" + id).call(() -> id);
    }
  }

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    try (RedisServer redis = RedisServer.start();
        TestContainer container =
            TestContainer.start(
                Map.of("concurrency-safe.redis.address", redis.uri()), Service.class)) {
      Service service = container.bean(Service.class);
      for (int round = 1; round <= 3; round++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          service.dsl(i);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          service.sync(i);
        }
        long t2 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          service.async(i).join();
        }
        long t3 = System.nanoTime();
        System.out.printf(
            "round %d (%d calls, Java %s): Locks.with %.0f us, @ConcurrencySafe sync %.0f us,"
                + " async %.0f us per call%n",
            round,
            calls,
            Runtime.version().feature(),
            (t1 - t0) / 1e3 / calls,
            (t2 - t1) / 1e3 / calls,
            (t3 - t2) / 1e3 / calls);
      }
    }
  }
}
