package dev.concurrencysafe.benchmarks;

import java.util.Arrays;

/**
 * Percentiles of a set of durations in nanoseconds, computed by sorting a copy (nearest-rank).
 * HdrHistogram would do the same with bounded memory; the sample counts here are small enough that
 * a sorted {@code long[]} is exact and needs no extra dependency.
 *
 * <p>Thread-safety: immutable.
 */
public final class Distribution {

  private final long[] sortedNanos;

  private Distribution(long[] sortedNanos) {
    this.sortedNanos = sortedNanos;
  }

  /** A distribution of the first {@code count} values of {@code nanos} (copied, then sorted). */
  public static Distribution of(long[] nanos, int count) {
    long[] copy = Arrays.copyOf(nanos, count);
    Arrays.sort(copy);
    return new Distribution(copy);
  }

  public int count() {
    return sortedNanos.length;
  }

  /** The nearest-rank percentile in nanoseconds, {@code p} in (0, 100]; 0 when empty. */
  public long percentileNanos(double p) {
    if (sortedNanos.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
    return sortedNanos[Math.min(sortedNanos.length - 1, Math.max(0, rank - 1))];
  }

  public double p50Micros() {
    return percentileNanos(50) / 1000.0;
  }

  public double p99Micros() {
    return percentileNanos(99) / 1000.0;
  }

  public double maxMicros() {
    return sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1] / 1000.0;
  }

  public double meanMicros() {
    if (sortedNanos.length == 0) {
      return 0;
    }
    double sum = 0;
    for (long n : sortedNanos) {
      sum += n;
    }
    return sum / sortedNanos.length / 1000.0;
  }

  /** The sorted samples (a copy), for charts. */
  public long[] sortedNanos() {
    return sortedNanos.clone();
  }
}
