package dev.concurrencysafe.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ThroughputBenchmarks} with JMH against the launched server and returns operations per
 * second per benchmark.
 *
 * <p>Thread-safety: not thread-safe; one run at a time.
 */
final class ThroughputRunner {

  /** JMH's score for one benchmark: mean operations per second and its 99.9 % error. */
  record Score(double opsPerSecond, double error) {}

  private final BenchSettings settings;

  ThroughputRunner(BenchSettings settings) {
    this.settings = settings;
  }

  Map<String, Score> run(String redisUri) throws RunnerException {
    // In-process (forks = 0) JMH reads the address from this JVM's properties.
    System.setProperty(ThroughputBenchmarks.REDIS_URI, redisUri);
    Options options =
        new OptionsBuilder()
            .include(ThroughputBenchmarks.class.getName() + "\\.")
            .forks(settings.jmhForks())
            .jvmArgsAppend(
                "-D" + ThroughputBenchmarks.REDIS_URI + "=" + redisUri,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
            .warmupIterations(settings.jmhWarmup())
            .warmupTime(TimeValue.milliseconds(settings.jmhWarmupTime().toMillis()))
            .measurementIterations(settings.jmhIterations())
            .measurementTime(TimeValue.milliseconds(settings.jmhIterationTime().toMillis()))
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, Score> scores = new LinkedHashMap<>();
    for (RunResult result : results) {
      String method = result.getParams().getBenchmark();
      Result<?> primary = result.getPrimaryResult();
      scores.put(
          method.substring(method.lastIndexOf('.') + 1),
          new Score(primary.getScore(), primary.getScoreError()));
    }
    return scores;
  }
}
