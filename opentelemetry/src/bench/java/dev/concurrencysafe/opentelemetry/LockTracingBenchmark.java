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
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of lock spans on one DSL cycle ({@code with(key, id).run(body)}: acquire, run, release)
 * on the in-memory store (where the lock itself is cheapest, so the share is largest) and on a
 * real redis-server: without instrumentation, with {@code LockTracing} over {@link
 * OpenTelemetry#noop()} (no SDK, no agent), and with the SDK recording every span into a batch
 * processor whose exporter discards them.
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

  @TearDown
  public void tearDown() {
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
