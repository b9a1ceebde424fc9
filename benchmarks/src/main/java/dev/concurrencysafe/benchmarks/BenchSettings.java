package dev.concurrencysafe.benchmarks;

import java.time.Duration;

/**
 * How much work each measure does: {@link #fullRun()} for the published numbers (about four minutes
 * on 2 cores), {@link #smokeRun()} for CI, where only the plumbing is checked.
 *
 * <p>Thread-safety: immutable.
 *
 * @param smoke whether this is the smoke run (numbers are meaningless)
 * @param warmupCycles cycles per variant before any latency is recorded (JIT, connection pool)
 * @param rounds interleaved rounds: each variant runs {@code cyclesPerRound} per round, in turn, so
 *     drift of the machine affects every variant alike
 * @param cyclesPerRound cycles of one variant per round
 * @param contentionThreads threads competing for one key (measure 3)
 * @param contentionRun how long each contention variant runs, polling variants excepted
 * @param pollingContentionRun how long the 100 ms polling variant runs (it hands over rarely)
 * @param commandCycles cycles counted with INFO commandstats and MONITOR (measure 5)
 * @param memoryKeys distinct keys acquired and released (measure 6)
 * @param memoryThreads threads sharing the memory run, each on its own keys in sequence
 * @param jmhForks JMH forks for measure 4 (0 runs in this JVM)
 * @param jmhWarmup JMH warmup iterations and their length
 * @param jmhWarmupTime length of one JMH warmup iteration
 * @param jmhIterations JMH measurement iterations
 * @param jmhIterationTime length of one JMH measurement iteration
 * @param throughputWindow length of one window of the interleaved throughput harness
 * @param throughputRounds windows per variant in the interleaved throughput harness
 */
public record BenchSettings(
    boolean smoke,
    int warmupCycles,
    int rounds,
    int cyclesPerRound,
    int contentionThreads,
    Duration contentionRun,
    Duration pollingContentionRun,
    int commandCycles,
    int memoryKeys,
    int memoryThreads,
    int jmhForks,
    int jmhWarmup,
    Duration jmhWarmupTime,
    int jmhIterations,
    Duration jmhIterationTime,
    Duration throughputWindow,
    int throughputRounds) {

  /** The published run. */
  public static BenchSettings fullRun() {
    return new BenchSettings(
        false,
        5_000,
        20,
        1_000,
        16,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        1_000,
        1_000_000,
        8,
        1,
        2,
        Duration.ofSeconds(1),
        5,
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        7);
  }

  /** Tiny counts: exercises every measure and output in a few seconds; numbers mean nothing. */
  public static BenchSettings smokeRun() {
    return new BenchSettings(
        true,
        50,
        2,
        50,
        16,
        Duration.ofMillis(300),
        Duration.ofMillis(500),
        50,
        2_000,
        4,
        0,
        1,
        Duration.ofMillis(100),
        1,
        Duration.ofMillis(200),
        Duration.ofMillis(100),
        2);
  }
}
