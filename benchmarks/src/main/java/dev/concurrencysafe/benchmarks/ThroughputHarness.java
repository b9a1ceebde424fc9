package dev.concurrencysafe.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Measure 4, interleaved: 32 threads, each on its own key, run one variant for a short window, then
 * the next variant, and so on, alternating for several rounds; the score is the median window. JMH
 * (also run, see {@link ThroughputRunner}) measures the variants one after the other, so a burst of
 * load from other processes lands on one of them only; alternating windows spread it over both,
 * which is what a ratio between them needs on a shared machine.
 *
 * <p>Thread-safety: not thread-safe; one run at a time.
 */
final class ThroughputHarness {

  /** Median, lowest and highest window throughput in operations per second. */
  record Score(
      double medianOpsPerSecond, double minOpsPerSecond, double maxOpsPerSecond, int windows) {}

  /** A variant: builds the operation thread {@code i} runs (each thread gets its own key). */
  record Contender(String id, IntFunction<Variant.Operation> perThread) {}

  private final int threads;
  private final Duration window;
  private final int rounds;

  ThroughputHarness(int threads, Duration window, int rounds) {
    this.threads = threads;
    this.window = window;
    this.rounds = rounds;
  }

  Map<String, Score> measure(List<Contender> contenders) throws Exception {
    for (Contender c : contenders) {
      runWindow(c); // warm-up window, not counted
    }
    double[][] windows = new double[contenders.size()][rounds];
    for (int round = 0; round < rounds; round++) {
      for (int turn = 0; turn < contenders.size(); turn++) {
        int index = (round + turn) % contenders.size();
        windows[index][round] = runWindow(contenders.get(index));
      }
    }
    Map<String, Score> scores = new LinkedHashMap<>();
    for (int i = 0; i < contenders.size(); i++) {
      double[] sorted = windows[i].clone();
      Arrays.sort(sorted);
      double median =
          sorted.length % 2 == 1
              ? sorted[sorted.length / 2]
              : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
      scores.put(
          contenders.get(i).id(),
          new Score(median, sorted[0], sorted[sorted.length - 1], sorted.length));
    }
    return scores;
  }

  /** One window: all threads run the contender's operation until the window ends; ops/s. */
  private double runWindow(Contender contender) throws Exception {
    long[] counts = new long[threads];
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    long[] end = new long[1];
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      Variant.Operation operation = contender.perThread().apply(t);
      Thread worker =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                  long done = 0;
                  while (System.nanoTime() - end[0] < 0) {
                    operation.run();
                    done++;
                  }
                  counts[index] = done;
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "throughput-" + t);
      workers.add(worker);
      worker.start();
    }
    ready.await();
    long start = System.nanoTime();
    end[0] = start + window.toNanos();
    go.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    long elapsed = System.nanoTime() - start;
    Throwable error = failure.get();
    if (error != null) {
      throw new IllegalStateException(contender.id() + " failed: " + error, error);
    }
    return Arrays.stream(counts).sum() / (elapsed / 1e9);
  }
}
