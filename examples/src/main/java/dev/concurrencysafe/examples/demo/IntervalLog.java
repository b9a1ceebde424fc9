package dev.concurrencysafe.examples.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Records when each worker was inside a critical section and finds overlaps: the detector behind
 * "only one at a time". Times are {@link System#nanoTime()} relative to the log's creation.
 *
 * <p>Thread-safety: thread-safe (synchronized).
 */
final class IntervalLog {

  /** One stay inside the critical section. */
  record Interval(String who, long startNanos, long endNanos) {
    double startMillis() {
      return startNanos / 1e6;
    }

    double endMillis() {
      return endNanos / 1e6;
    }
  }

  private final long origin = System.nanoTime();
  private final List<Interval> intervals = new ArrayList<>();

  /** Nanoseconds since the log was created. */
  long now() {
    return System.nanoTime() - origin;
  }

  /** Runs {@code work} and records its interval under {@code who}. */
  void inside(String who, Runnable work) {
    long start = now();
    try {
      work.run();
    } finally {
      record(who, start, now());
    }
  }

  synchronized void record(String who, long startNanos, long endNanos) {
    intervals.add(new Interval(who, startNanos, endNanos));
  }

  /** The intervals ordered by start. */
  synchronized List<Interval> sorted() {
    List<Interval> copy = new ArrayList<>(intervals);
    copy.sort(Comparator.comparingLong(Interval::startNanos));
    return copy;
  }

  /** Pairs of intervals that overlapped, as "A and B" descriptions; empty if none did. */
  List<String> overlaps() {
    List<Interval> all = sorted();
    List<String> found = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size() && all.get(j).startNanos() < all.get(i).endNanos(); j++) {
        found.add(all.get(i).who() + " and " + all.get(j).who());
      }
    }
    return found;
  }
}
