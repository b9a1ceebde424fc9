package dev.concurrencysafe.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Measure 3: N duplicate requests for one key at once, each waiting for the lock and then running a
 * 1 ms body; repeated in rounds for the configured time. Within a round every thread wants the lock
 * exactly once, so every hand-over goes to a thread that is really waiting: a thread that just
 * released cannot barge back in and make a polling lock look fast.
 *
 * <p>Every body records its start and end with {@link System#nanoTime()}. Per round, intervals are
 * sorted by start and the hand-over gap is {@code start(n+1) - end(n)}: from the moment holder n's
 * body ended (its release still to be sent) to the moment holder n+1's body began. Over all rounds,
 * a body starting before the previous one ended is an overlap (two bodies at once); it is counted
 * and reported, never hidden.
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

  /**
   * Where a hand-over's time goes, per hand-over: body end → the holder's release call returned
   * ({@code release}); body end → the release notification reached this JVM ({@code notified});
   * notification → the next body started ({@code wakeToBody}: waking waiters, their acquire
   * attempts, the winner's reply).
   */
  record Breakdown(Distribution release, Distribution notified, Distribution wakeToBody) {}

  /**
   * The outcome of one contention run; {@code breakdown} only when a probe was given, {@code
   * lockCommandsPerBody} (lock commands the clients sent to Redis per body run) once counted.
   */
  record Outcome(
      int threads,
      int rounds,
      int handovers,
      double bodiesPerSecond,
      Distribution gaps,
      int overlaps,
      int timeouts,
      @Nullable Breakdown breakdown,
      double lockCommandsPerBody) {

    int bodies() {
      return handovers + rounds;
    }

    Outcome withLockCommands(long commands) {
      return new Outcome(
          threads,
          rounds,
          handovers,
          bodiesPerSecond,
          gaps,
          overlaps,
          timeouts,
          breakdown,
          bodies() == 0 ? 0 : (double) commands / bodies());
    }
  }

  /** Timestamps of release notifications, recorded by a listener on the lock's channel. */
  static final class NotificationProbe {
    private long[] times = new long[1 << 16];
    private int size;

    synchronized void notified() {
      if (size == times.length) {
        times = Arrays.copyOf(times, size * 2);
      }
      times[size++] = System.nanoTime();
    }

    synchronized long[] sorted() {
      long[] copy = Arrays.copyOf(times, size);
      Arrays.sort(copy);
      return copy;
    }
  }

  private final BenchSettings settings;

  ContentionHarness(BenchSettings settings) {
    this.settings = settings;
  }

  Outcome measure(WaitingLock lock, boolean polling) throws Exception {
    return measure(lock, polling, null);
  }

  Outcome measure(WaitingLock lock, boolean polling, @Nullable NotificationProbe probe)
      throws Exception {
    int threads = settings.contentionThreads();
    long runNanos =
        (polling ? settings.pollingContentionRun() : settings.contentionRun()).toNanos();
    Intervals[] perThread = new Intervals[threads];
    AtomicInteger timeouts = new AtomicInteger();
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    CyclicBarrier done = new CyclicBarrier(threads + 1);
    int[] round = {0};
    boolean[] stop = {false};
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Intervals mine = new Intervals();
      perThread[t] = mine;
      Thread worker =
          new Thread(
              () -> {
                try {
                  while (true) {
                    start.await(); // the barrier publishes round[0] and stop[0] written before it
                    if (stop[0]) {
                      return;
                    }
                    int current = round[0];
                    try {
                      if (lock.runExclusive(() -> mine.record(current))) {
                        mine.released();
                      } else {
                        timeouts.incrementAndGet();
                      }
                    } catch (Throwable e) {
                      failure.compareAndSet(null, e);
                    }
                    done.await();
                  }
                } catch (Exception barrierBroken) {
                  failure.compareAndSet(null, barrierBroken);
                }
              },
              "contender-" + t);
      workers.add(worker);
      worker.start();
    }
    int rounds = driveRounds(start, done, round, stop, failure, runNanos, workers);
    Throwable error = failure.get();
    if (error != null) {
      throw new IllegalStateException("a contender failed: " + error, error);
    }
    return analyse(perThread, threads, rounds, timeouts.get(), probe);
  }

  /**
   * Lets the contenders race round after round (each waits at {@code start}, reports at {@code
   * done}) until {@code runNanos} passed or one failed, then stops them; returns the rounds run.
   * The barriers publish {@code round[0]} and {@code stop[0]} to the contenders.
   */
  private static int driveRounds(
      CyclicBarrier start,
      CyclicBarrier done,
      int[] round,
      boolean[] stop,
      AtomicReference<@Nullable Throwable> failure,
      long runNanos,
      List<Thread> workers)
      throws Exception {
    long deadline = System.nanoTime() + runNanos;
    int rounds = 0;
    do {
      round[0] = rounds++;
      start.await();
      done.await();
    } while (System.nanoTime() - deadline < 0 && failure.get() == null);
    stop[0] = true;
    start.await();
    for (Thread worker : workers) {
      worker.join();
    }
    return rounds;
  }

  private static Outcome analyse(
      Intervals[] perThread,
      int threads,
      int rounds,
      int timeouts,
      @Nullable NotificationProbe probe) {
    List<long[]> all = new ArrayList<>();
    for (Intervals intervals : perThread) {
      for (int i = 0; i < intervals.size; i++) {
        all.add(
            new long[] {
              intervals.rounds[i], intervals.starts[i], intervals.ends[i], intervals.released[i]
            });
      }
    }
    long[][] sorted = all.toArray(new long[0][]);
    Arrays.sort(sorted, (a, b) -> Long.compare(a[1], b[1]));
    long[] gaps = new long[Math.max(0, sorted.length)];
    int gapCount = 0;
    int overlaps = 0;
    long busyNanos = 0;
    long roundStart = 0;
    for (int i = 0; i < sorted.length; i++) {
      boolean firstOfRound = i == 0 || sorted[i][0] != sorted[i - 1][0];
      if (i > 0 && sorted[i][1] - sorted[i - 1][2] < 0) {
        overlaps++;
      } else if (!firstOfRound) {
        gaps[gapCount++] = sorted[i][1] - sorted[i - 1][2];
      }
      if (firstOfRound) {
        roundStart = sorted[i][1];
      }
      boolean lastOfRound = i + 1 == sorted.length || sorted[i + 1][0] != sorted[i][0];
      if (lastOfRound) {
        busyNanos += sorted[i][2] - roundStart;
      }
    }
    double bodiesPerSecond = busyNanos == 0 ? 0 : sorted.length / (busyNanos / 1e9);
    return new Outcome(
        threads,
        rounds,
        gapCount,
        bodiesPerSecond,
        Distribution.of(gaps, gapCount),
        overlaps,
        timeouts,
        probe == null ? null : breakdown(sorted, probe.sorted()),
        0);
  }

  private static Breakdown breakdown(long[][] sorted, long[] notifications) {
    int n = sorted.length;
    long[] release = new long[n];
    long[] notified = new long[n];
    long[] wake = new long[n];
    int count = 0;
    for (int i = 0; i + 1 < n; i++) {
      if (sorted[i][0] != sorted[i + 1][0] || sorted[i][3] == 0) {
        continue; // not a hand-over within a round, or its release time is unknown
      }
      long end = sorted[i][2];
      int at = Arrays.binarySearch(notifications, end);
      int first = at >= 0 ? at : -at - 1;
      if (first == notifications.length || notifications[first] > sorted[i + 1][1]) {
        continue; // no notification between this body's end and the next body's start
      }
      release[count] = sorted[i][3] - end;
      notified[count] = notifications[first] - end;
      wake[count] = sorted[i + 1][1] - notifications[first];
      count++;
    }
    return new Breakdown(
        Distribution.of(release, count),
        Distribution.of(notified, count),
        Distribution.of(wake, count));
  }

  /** One thread's body intervals; only its own thread writes, the analysis reads after join(). */
  private static final class Intervals {
    long[] rounds = new long[256];
    long[] starts = new long[256];
    long[] ends = new long[256];
    long[] released = new long[256];
    int size;

    /** The lock call around the last recorded body returned, i.e. its release completed. */
    void released() {
      released[size - 1] = System.nanoTime();
    }

    void record(int round) {
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
        rounds = Arrays.copyOf(rounds, size * 2);
        starts = Arrays.copyOf(starts, size * 2);
        ends = Arrays.copyOf(ends, size * 2);
        released = Arrays.copyOf(released, size * 2);
      }
      rounds[size] = round;
      starts[size] = start;
      ends[size] = end;
      size++;
    }
  }
}
