package dev.concurrencysafe.benchmarks;

import java.util.Map;

/**
 * Everything one run measured, keyed by variant id ({@code dsl}, {@code acquire}, {@code rlock},
 * {@code seed}, {@code rtt}, ...), with the labels the tables show.
 *
 * <p>Thread-safety: immutable once built (the maps are not modified after the run).
 */
record Results(
    Machine machine,
    Map<String, String> uncontendedLabels,
    Map<String, Distribution> uncontended,
    Map<String, String> refusedLabels,
    Map<String, Distribution> refused,
    Map<String, ContentionHarness.Outcome> contention,
    Map<String, ThroughputRunner.Score> throughput,
    Map<String, ThroughputHarness.Score> interleavedThroughput,
    Map<String, CommandCounter.Count> cycleCommands,
    Map<String, CommandCounter.Count> refusedCommands,
    MemoryProbe.Outcome memory,
    Map<String, CpuProbe.Score> cpu,
    String interceptorNote,
    double totalSeconds) {

  /** Where and when the numbers were taken. */
  record Machine(String date, int cores, String cpu, String jdk, String os, String redis,
      String redisson, boolean smoke, double loadAverageAtStart, double loadAverageAtEnd) {}

  /** The floor every latency is compared with: p50 of a GET through the same client. */
  double rttP50Micros() {
    return uncontended.get("rtt").p50Micros();
  }
}
