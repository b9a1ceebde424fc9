package dev.concurrencysafe.opentelemetry;

import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockManagerBuilder;
import dev.concurrencysafe.testing.RedisServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The cost of lock spans on one DSL cycle ({@code with(key, id).run(body)}: acquire, run, release)
 * on the in-memory store (where the lock itself is cheapest, so the share is largest) and on a
 * real redis-server: without instrumentation, with {@code LockTracing} over {@link
 * OpenTelemetry#noop()} (no SDK, no agent), and with the SDK recording every span into a batch
 * processor whose exporter discards them.
 *
 * <p>Besides JMH's time per call, each fork prints the CPU time per call over its measurement
 * iterations ({@code [cpu] ...}), of the benchmark thread and of the whole process (which includes
 * the SDK's export thread, the garbage collector and the JIT): on a shared machine the wall-clock
 * time includes the time the thread waited for a core, the CPU time does not.
 *
 * <p>Thread-safety: JMH state, one benchmark thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LockTracingBenchmark {

  enum Key implements LockKey {
    JOB("bench:job:{id}");

    private final String pattern;

    Key(String pattern) {
      this.pattern = pattern;
    }

    @Override
    public String pattern() {
      return pattern;
    }

    @Override
    public Duration ttl() {
      return Duration.ofSeconds(10);
    }
  }

  @Param({"inMemory", "redis"})
  public String store = "inMemory";

  @Param({"none", "noop", "sdk"})
  public String tracing = "none";

  private @Nullable RedisServer redis;
  private org.redisson.api.@Nullable RedissonClient client;
  private @Nullable OpenTelemetrySdk sdk;
  private LockManager locks = LockManager.builder().inMemory();
  private final LongAdder exported = new LongAdder();
  private long counter;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long iterationProcessCpuStart;
  private long measuredProcessCpuNanos;
  private boolean measuring;
  private long iterationCpuStart;
  private long iterationCounterStart;
  private long measuredCpuNanos;
  private long measuredCycles;

  @Setup
  public void setUp() {
    LockManagerBuilder builder = LockManager.builder();
    switch (tracing) {
      case "noop" -> builder.instrumentation(LockTracing.create(OpenTelemetry.noop()));
      case "sdk" -> {
        OpenTelemetrySdk recording = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(BatchSpanProcessor.builder(new Discarding(exported)).build())
                .build())
            .build();
        sdk = recording;
        builder.instrumentation(LockTracing.create(recording));
      }
      default -> { }
    }
    locks.close();
    if (store.equals("redis")) {
      RedisServer server = RedisServer.start();
      redis = server;
      org.redisson.config.Config config = new org.redisson.config.Config();
      config.useSingleServer().setAddress(server.uri());
      client = org.redisson.Redisson.create(config);
      locks = builder.redisson(client);
    } else {
      locks = builder.inMemory();
    }
  }

  /** Runs on the benchmark thread, before each iteration. */
  @Setup(Level.Iteration)
  public void startIteration(IterationParams iteration) {
    measuring = iteration.getType() == IterationType.MEASUREMENT;
    iterationCounterStart = counter;
    iterationCpuStart = THREADS.getCurrentThreadCpuTime();
    iterationProcessCpuStart = PROCESS.getProcessCpuTime();
  }

  /** Runs on the benchmark thread, after each iteration. */
  @TearDown(Level.Iteration)
  public void endIteration() {
    long cpu = THREADS.getCurrentThreadCpuTime() - iterationCpuStart;
    long processCpu = PROCESS.getProcessCpuTime() - iterationProcessCpuStart;
    if (measuring) {
      measuredCpuNanos += cpu;
      measuredProcessCpuNanos += processCpu;
      measuredCycles += counter - iterationCounterStart;
    }
  }

  @TearDown
  public void tearDown() {
    if (measuredCycles > 0) {
      System.out.printf(
          "[cpu] store=%s tracing=%s cycles=%d thread-cpu-ns/op=%.1f process-cpu-ns/op=%.1f%n",
          store,
          tracing,
          measuredCycles,
          (double) measuredCpuNanos / measuredCycles,
          (double) measuredProcessCpuNanos / measuredCycles);
    }
    locks.close();
    if (client != null) {
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
    if (redis != null) {
      redis.close();
    }
    if (sdk != null) {
      sdk.close();
      System.out.println("spans exported: " + exported.sum());
    }
  }

  @Benchmark
  public long runCycle() {
    // distinct ids, as in production: no call joins or waits for another
    String id = Long.toString(counter++ & 1023);
    locks.with(Key.JOB, id).run(() -> { });
    return counter;
  }

  /** Counts spans and drops them: the exporter's own cost is not the instrumentation's. */
  private record Discarding(LongAdder exported) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      exported.add(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
