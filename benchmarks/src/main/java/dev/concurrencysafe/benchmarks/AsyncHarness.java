package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * Measures the asynchronous paths of concurrency-safe and of Redisson's {@code RLock} in one run,
 * interleaved round by round so both see the same machine load: the uncontended cycle and the
 * hand-over gap between asynchronous waiters (see {@link AsyncBenchmarkMain}).
 *
 * <p>Thread-safety: one run at a time; the waiters' state is confined to their stages, the
 * hand-over clock is volatile and written by the one holder.
 */
final class AsyncHarness {

  private static final int CALLERS = 16;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Executor ONE_MS_LATER =
      CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS);

  private final RedissonClient client;
  private final LockManager locks;
  private final int cycles;
  private final int rounds;
  private final int handOversPerCaller;

  /** When the current holder asked for its release (0: nobody released yet in this run). */
  private volatile long releaseRequestedNanos;

  private int inside;
  private final AtomicInteger overlaps = new AtomicInteger();

  AsyncHarness(
      RedissonClient client, LockManager locks, int cycles, int rounds, int handOversPerCaller) {
    this.client = client;
    this.locks = locks;
    this.cycles = cycles;
    this.rounds = rounds;
    this.handOversPerCaller = handOversPerCaller;
  }

  /** The measured rows. */
  record Report(
      String server,
      Distribution rtt,
      Distribution ours,
      Distribution rlock,
      Distribution oursGap,
      Distribution rlockGap,
      int overlaps) {

    String summary() {
      return String.format(
          Locale.ROOT,
          "cycle p50 ours %.0f us / RLock %.0f us (%.2fx);"
              + " hand-over p50 ours %.0f us / RLock %.0f us (%.2fx); RTT p50 %.0f us; overlaps %d",
          ours.p50Micros(),
          rlock.p50Micros(),
          ours.p50Micros() / rlock.p50Micros(),
          oursGap.p50Micros(),
          rlockGap.p50Micros(),
          oursGap.p50Micros() / rlockGap.p50Micros(),
          rtt.p50Micros(),
          overlaps);
    }

    String markdown() {
      double rttMicros = rtt.p50Micros();
      StringBuilder md = new StringBuilder();
      md.append("# Asynchronous acquisition: benchmark\n\n")
          .append("Written by `benchmarks/run-async` (`AsyncBenchmarkMain`); ")
          .append(server)
          .append(", one Redisson client shared by both contenders, measured in the same run,")
          .append(
              " round by round interleaved. Ratios are ours / RLock (below 1: ours is faster).\n\n")
          .append("| row | ours p50 µs | ours p99 µs | RLock p50 µs | RLock p99 µs | p50 ratio |")
          .append(" p99 ratio | ours p50 in RTT |\n|---|---|---|---|---|---|---|---|\n");
      row(
          md,
          "uncontended cycle: `acquireAsync()` + `closeAsync()` vs `tryLockAsync(0, ..)` +"
              + " `unlockAsync`",
          ours,
          rlock,
          rttMicros);
      row(
          md,
          "hand-over gap, "
              + CALLERS
              + " async callers on one key, 1 ms body (release"
              + " request → next acquisition)",
          oursGap,
          rlockGap,
          rttMicros);
      md.append(
          String.format(
              Locale.ROOT,
              "%nRound trip (async GET) p50 %.0f µs, p99 %.0f µs."
                  + " Samples: %,d cycles each, %,d hand-overs each. Overlapping bodies seen by the"
                  + " benchmark's own detector: %d.%n",
              rttMicros,
              rtt.p99Micros(),
              ours.count(),
              oursGap.count(),
              overlaps));
      md.append(
          "\nNo thread waits in either contender's hand-over: ours waits for the release"
              + " notification with a timer on the manager's scheduler; Redisson's `tryLockAsync`"
              + " subscribes to its own per-lock channel.\n");
      return md.toString();
    }

    private static void row(
        StringBuilder md, String label, Distribution ours, Distribution rlock, double rttMicros) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.0f | %.0f | %.0f | %.2f× | %.2f× |" + " %.1f |%n",
              label,
              ours.p50Micros(),
              ours.p99Micros(),
              rlock.p50Micros(),
              rlock.p99Micros(),
              ours.p50Micros() / rlock.p50Micros(),
              ours.p99Micros() / rlock.p99Micros(),
              ours.p50Micros() / rttMicros));
    }
  }

  Report run(String server) throws Exception {
    LockSpec free = locks.with("bench:async:cycle");
    RLock rlock = client.getLock("bench:async:cycle:rlock");
    long threadId = 7_000_000L;
    long ttl = Variants.TTL.toMillis();
    Samples rtt = new Samples(cycles * rounds);
    Samples ours = new Samples(cycles * rounds);
    Samples theirs = new Samples(cycles * rounds);
    // warm-up: JIT, scripts cached, connections open
    cycle(() -> free.acquireAsync().thenCompose(lease -> lease.closeAsync()), cycles, null);
    cycle(
        () ->
            rlock
                .tryLockAsync(0, ttl, TimeUnit.MILLISECONDS, threadId)
                .thenCompose(ok -> rlock.unlockAsync(threadId)),
        cycles,
        null);
    for (int round = 0; round < rounds; round++) {
      cycle(() -> client.getBucket("bench:async:rtt").getAsync(), cycles, rtt);
      cycle(() -> free.acquireAsync().thenCompose(lease -> lease.closeAsync()), cycles, ours);
      cycle(
          () ->
              rlock
                  .tryLockAsync(0, ttl, TimeUnit.MILLISECONDS, threadId)
                  .thenCompose(ok -> rlock.unlockAsync(threadId)),
          cycles,
          theirs);
    }
    Samples oursGap = new Samples(CALLERS * handOversPerCaller * rounds);
    Samples rlockGap = new Samples(CALLERS * handOversPerCaller * rounds);
    RLock contended = client.getLock("bench:async:contended:rlock");
    LockSpec waiting = locks.with("bench:async:contended").waitTimeout(WAIT);
    for (int round = 0; round < rounds; round++) {
      handOvers(caller -> loopOurs(waiting, oursGap, handOversPerCaller));
      handOvers(caller -> loopRLock(contended, 8_000_000L + caller, rlockGap, handOversPerCaller));
    }
    return new Report(
        server,
        rtt.distribution(),
        ours.distribution(),
        theirs.distribution(),
        oursGap.distribution(),
        rlockGap.distribution(),
        overlaps.get());
  }

  /**
   * {@code count} operations one after another, recorded unless {@code samples} is null (warm-up).
   */
  private static void cycle(
      Supplier<? extends CompletionStage<?>> operation, int count, @Nullable Samples samples)
      throws Exception {
    for (int i = 0; i < count; i++) {
      long started = System.nanoTime();
      operation.get().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (samples != null) {
        samples.add(System.nanoTime() - started);
      }
    }
  }

  private void handOvers(java.util.function.IntFunction<CompletableFuture<Void>> caller)
      throws Exception {
    releaseRequestedNanos = 0;
    List<CompletableFuture<Void>> callers = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      callers.add(caller.apply(i));
    }
    CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
  }

  private CompletableFuture<Void> loopOurs(LockSpec spec, Samples gaps, int remaining) {
    if (remaining == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return spec.acquireAsync()
        .toCompletableFuture()
        .thenCompose(
            lease -> {
              acquired(gaps);
              return body()
                  .thenCompose(
                      done -> {
                        releaseRequestedNanos = System.nanoTime();
                        return lease.closeAsync();
                      });
            })
        .thenCompose(released -> loopOurs(spec, gaps, remaining - 1));
  }

  private CompletableFuture<Void> loopRLock(
      RLock lock, long threadId, Samples gaps, int remaining) {
    if (remaining == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return lock.tryLockAsync(
            WAIT.toMillis(), Variants.TTL.toMillis(), TimeUnit.MILLISECONDS, threadId)
        .toCompletableFuture()
        .thenCompose(
            ok -> {
              if (!ok) {
                throw new IllegalStateException("tryLockAsync timed out after " + WAIT);
              }
              acquired(gaps);
              return body()
                  .thenCompose(
                      done -> {
                        releaseRequestedNanos = System.nanoTime();
                        return lock.unlockAsync(threadId);
                      });
            })
        .thenCompose(released -> loopRLock(lock, threadId, gaps, remaining - 1));
  }

  private void acquired(Samples gaps) {
    long released = releaseRequestedNanos;
    if (released != 0) {
      gaps.add(System.nanoTime() - released);
    }
  }

  /** 1 ms of "work" on a timer; read-pause-write on {@link #inside} detects overlapping holders. */
  private CompletableFuture<Void> body() {
    if (inside++ > 0) {
      overlaps.incrementAndGet();
    }
    return CompletableFuture.runAsync(() -> inside--, ONE_MS_LATER);
  }

  /** Latencies in nanoseconds. Thread-safety: synchronized. */
  private static final class Samples {
    private long[] nanos;
    private int count;

    Samples(int expected) {
      nanos = new long[Math.max(16, expected)];
    }

    synchronized void add(long sample) {
      if (count == nanos.length) {
        nanos = java.util.Arrays.copyOf(nanos, count * 2);
      }
      nanos[count++] = sample;
    }

    synchronized Distribution distribution() {
      return Distribution.of(nanos, count);
    }
  }
}
