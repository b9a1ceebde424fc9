package dev.concurrencysafe.micrometer;

import dev.concurrencysafe.LockEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost LockMetrics adds to a lock call: one ACQUIRED and one RELEASED event, through the
 * per-key-name cache versus a builder registration per event. Run with {@code -prof gc} for bytes
 * per operation (see the module README for the command).
 *
 * <p>Thread-safety: JMH state; shared read-only across benchmark threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LockMetricsBenchmark {

  private final LockEvent acquired = new LockEvent(LockEvent.Type.ACQUIRED, "lock:reward:u1",
      "CacheKey.REWARD", 7, Duration.ofMillis(3), null);
  private final LockEvent released = new LockEvent(LockEvent.Type.RELEASED, "lock:reward:u1",
      "CacheKey.REWARD", 7, Duration.ofMillis(40), null);
  private MeterRegistry registry = new SimpleMeterRegistry();
  private LockMetrics metrics = new LockMetrics(registry);

  @Setup
  public void setUp() {
    registry = new SimpleMeterRegistry();
    metrics = new LockMetrics(registry);
    metrics.onEvent(acquired);
  }

  @Benchmark
  public void lockMetrics() {
    metrics.onEvent(acquired);
    metrics.onEvent(released);
  }

  @Benchmark
  @Threads(4)
  public void lockMetricsFourThreads() {
    metrics.onEvent(acquired);
    metrics.onEvent(released);
  }

  @Benchmark
  public void builderPerEvent() {
    Counter.builder(LockMetrics.ATTEMPTS).tag("key", acquired.keyName()).tag("outcome", "acquired")
        .register(registry).increment();
    Timer.builder(LockMetrics.WAIT).tag("key", acquired.keyName()).tag("outcome", "acquired")
        .register(registry).record(acquired.duration().toNanos(), TimeUnit.NANOSECONDS);
    Timer.builder(LockMetrics.HELD).tag("key", released.keyName()).register(registry)
        .record(released.duration().toNanos(), TimeUnit.NANOSECONDS);
  }
}
