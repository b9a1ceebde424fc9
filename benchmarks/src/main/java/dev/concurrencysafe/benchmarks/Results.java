package dev.concurrencysafe.benchmarks;

import java.util.Map;

/**
 * Everything one run measured, keyed by variant id ({@code dsl}, {@code acquire}, {@code rlock},
 * {@code naive}, {@code rtt}, ...), with the labels the tables show.
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
  record Machine(
      String date,
      int cores,
      String cpu,
      String jdk,
      String os,
      String redis,
      String redisson,
      boolean smoke,
      double loadAverageAtStart,
      double loadAverageAtEnd) {}

  /**
   * The measurement of variant {@code id}; every variant a report reads is one the run measures, so
   * a missing one is a bug in the harness, named here rather than as a bare NPE.
   */
  static <V> V required(Map<String, V> byId, String id) {
    V value = byId.get(id);
    if (value == null) {
      throw new IllegalStateException("no '" + id + "' measurement in " + byId.keySet());
    }
    return value;
  }

  /** The floor every latency is compared with: p50 of a GET through the same client. */
  double rttP50Micros() {
    return required(uncontended, "rtt").p50Micros();
  }
}
