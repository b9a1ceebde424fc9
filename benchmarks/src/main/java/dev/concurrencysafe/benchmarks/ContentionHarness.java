package dev.concurrencysafe.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Measure 3: N threads compete for one key, each body sleeps 1 ms. Every body records its start
 * and end with {@link System#nanoTime()}; afterwards all intervals are sorted by start and the
 * hand-over gap is {@code start(n+1) - end(n)}: from the moment holder n's body ended (its release
 * still to be sent) to the moment holder n+1's body began. A negative gap is an overlap, i.e. two
 * bodies ran at once; it is counted and reported, never hidden.
 *
 * <p>Thread-safety: not thread-safe; one run at a time.
 */
final class ContentionHarness {

  static final long BODY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** A lock protocol that waits for the key (generously) and runs the body exclusively. */
  @FunctionalInterface
  interface WaitingLock {
    /** Returns false if the wait timed out (counted, not fatal). */
    boolean runExclusive(Runnable body) throws Exception;
  }

  /** The outcome of one contention run. */
  record Outcome(int threads, int handovers, double wallSeconds, double bodiesPerSecond,
      Distribution gaps, int overlaps, int timeouts) {}

  private final BenchSettings settings;

  ContentionHarness(BenchSettings settings) {
    this.settings = settings;
  }

  Outcome measure(WaitingLock lock, boolean polling) throws InterruptedException {
    int threads = settings.contentionThreads();
    long runNanos = (polling ? settings.pollingContentionRun() : settings.contentionRun()).toNanos();
    Intervals[] perThread = new Intervals[threads];
    AtomicInteger timeouts = new AtomicInteger();
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    long[] deadline = new long[1];
    for (int t = 0; t < threads; t++) {
      Intervals mine = new Intervals();
      perThread[t] = mine;
      Thread worker = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
          while (System.nanoTime() - deadline[0] < 0 && failure.get() == null) {
            if (!lock.runExclusive(mine::record)) {
              timeouts.incrementAndGet();
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "contender-" + t);
      workers.add(worker);
      worker.start();
    }
    ready.await();
    deadline[0] = System.nanoTime() + runNanos;
    go.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    Throwable error = failure.get();
    if (error != null) {
      throw new IllegalStateException("a contender failed: " + error, error);
    }
    return analyse(perThread, threads, deadline[0], timeouts.get());
  }

  private static Outcome analyse(Intervals[] perThread, int threads, long deadline, int timeouts) {
    int total = 0;
    for (Intervals intervals : perThread) {
      total += intervals.size;
    }
    long[][] all = new long[total][];
    int at = 0;
    for (Intervals intervals : perThread) {
      for (int i = 0; i < intervals.size; i++) {
        all[at++] = new long[] {intervals.starts[i], intervals.ends[i]};
      }
    }
    Arrays.sort(all, (a, b) -> Long.compare(a[0], b[0]));
    long[] gaps = new long[Math.max(0, total - 1)];
    int gapCount = 0;
    int overlaps = 0;
    for (int i = 0; i + 1 < total; i++) {
      long gap = all[i + 1][0] - all[i][1];
      if (gap < 0) {
        overlaps++;
      } else if (all[i + 1][0] - deadline < 0) {
        // only hand-overs while every thread was still competing
        gaps[gapCount++] = gap;
      }
    }
    double wallSeconds = total == 0 ? 0 : (all[total - 1][1] - all[0][0]) / 1e9;
    return new Outcome(threads, gapCount, wallSeconds, wallSeconds == 0 ? 0 : total / wallSeconds,
        Distribution.of(gaps, gapCount), overlaps, timeouts);
  }

  /** One thread's body intervals; only its own thread writes, the analysis reads after join(). */
  private static final class Intervals {
    long[] starts = new long[1024];
    long[] ends = new long[1024];
    int size;

    void record() {
      long start = System.nanoTime();
      // 1 ms of "work" that does not occupy a core, like a call to a database: a sleep. On 2 cores
      // a spinning body would steal the CPU the hand-over itself needs.
      try {
        TimeUnit.NANOSECONDS.sleep(BODY_NANOS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long end = System.nanoTime();
      if (size == starts.length) {
        starts = Arrays.copyOf(starts, size * 2);
        ends = Arrays.copyOf(ends, size * 2);
      }
      starts[size] = start;
      ends[size] = end;
      size++;
    }
  }
}
