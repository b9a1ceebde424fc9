package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.LockManager;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Measure 4 (JMH): 32 threads, each cycling a lock on its own key, so nothing contends but the
 * client, the network and Redis. Our DSL against raw RLock, plus a GET per operation as the
 * client's own ceiling. The Redis address comes from the system property {@value #REDIS_URI}, set
 * by {@link ThroughputRunner} for the forked JVM.
 *
 * <p>Thread-safety: JMH gives each thread its own {@link PerThread}; {@link Shared} is thread-safe.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(32)
public class ThroughputBenchmarks {

  static final String REDIS_URI = "concurrencysafe.bench.redis";

  /** The client and manager shared by all 32 threads, like in an application. Thread-safe. */
  @State(Scope.Benchmark)
  public static class Shared {
    RedissonClient client;
    LockManager locks;
    final AtomicInteger threadIds = new AtomicInteger();

    @Setup(Level.Trial)
    public void connect() {
      String uri = System.getProperty(REDIS_URI);
      if (uri == null) {
        throw new IllegalStateException(
            "system property "
                + REDIS_URI
                + " (redis://host:port) is"
                + " not set; run the benchmarks through BenchmarkMain");
      }
      client = Fixture.newClient(uri);
      locks = LockManager.redisson(client);
    }

    @TearDown(Level.Trial)
    public void disconnect() {
      locks.close();
      client.shutdown();
    }
  }

  /** One distinct key per thread; confined to its thread by JMH. */
  @State(Scope.Thread)
  public static class PerThread {
    String key;

    @Setup(Level.Trial)
    public void pickKey(Shared shared) {
      key = "bench:throughput:" + shared.threadIds.incrementAndGet();
    }
  }

  @Benchmark
  public void dsl(Shared shared, PerThread thread) {
    shared.locks.with(thread.key + ":dsl").run(() -> {});
  }

  @Benchmark
  public void rlock(Shared shared, PerThread thread) throws InterruptedException {
    RLock lock = shared.client.getLock(thread.key + ":rlock");
    if (!lock.tryLock(0, Variants.TTL.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("RLock on a thread's own key was refused");
    }
    lock.unlock();
  }

  @Benchmark
  public void rttGet(Shared shared, PerThread thread, Blackhole blackhole) {
    blackhole.consume(shared.client.getBucket(thread.key + ":rtt", StringCodec.INSTANCE).get());
  }
}
