package dev.concurrencysafe.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times single-threaded calls of several variants and keeps every sample. Variants run interleaved:
 * in each round every variant runs a block of cycles, in an order rotated per round, so a slow
 * phase of the machine (GC, a noisy neighbour, CPU frequency) hits all variants alike and their
 * ratios stay meaningful even when absolute numbers drift.
 *
 * <p>Thread-safety: not thread-safe; one run at a time.
 */
final class LatencyHarness {

  private final BenchSettings settings;

  LatencyHarness(BenchSettings settings) {
    this.settings = settings;
  }

  /** Warms every variant up, then records {@code rounds × cyclesPerRound} samples of each. */
  Map<String, Distribution> measure(List<Variant> variants) throws Exception {
    for (Variant variant : variants) {
      for (int i = 0; i < settings.warmupCycles(); i++) {
        variant.operation().run();
      }
    }
    int perVariant = settings.rounds() * settings.cyclesPerRound();
    long[][] samples = new long[variants.size()][perVariant];
    int[] filled = new int[variants.size()];
    for (int round = 0; round < settings.rounds(); round++) {
      for (int turn = 0; turn < variants.size(); turn++) {
        int index = (round + turn) % variants.size();
        Variant.Operation operation = variants.get(index).operation();
        long[] into = samples[index];
        int at = filled[index];
        for (int i = 0; i < settings.cyclesPerRound(); i++) {
          long start = System.nanoTime();
          operation.run();
          into[at++] = System.nanoTime() - start;
        }
        filled[index] = at;
      }
    }
    Map<String, Distribution> result = new LinkedHashMap<>();
    for (int i = 0; i < variants.size(); i++) {
      result.put(variants.get(i).id(), Distribution.of(samples[i], filled[i]));
    }
    return result;
  }
}
