package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockManagerBuilder;
import dev.concurrencysafe.testing.RedisServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Measure 6: a million distinct keys, each acquired and released once (every worker thread walks
 * its own share of the keys in sequence). Reports the client's heap after a full GC before and
 * after (right after the run, and once more after a second full GC), and what stays in Redis: the
 * key count, whether every key has an expiry, and the largest remaining TTL, to be compared with
 * the documented bound of the bookkeeping (the fencing counter lives for ttl + fencing retention,
 * default 10 s + 10 min).
 *
 * <p>Thread-safety: not thread-safe; one run at a time.
 */
final class MemoryProbe {

  /**
   * Surveys one SCAN page inside Redis, so there is no client round trip per key: ARGV[1] is the
   * cursor; returns the next cursor, the keys seen, those without an expiry (PTTL -1) and the
   * largest PTTL. The client walks the pages; each call is short, so Redis never blocks for long.
   */
  private static final String SURVEY_PAGE_SCRIPT =
      """
      local page = redis.call('scan', ARGV[1], 'count', 20000)
      local keys, persistent, maxTtl = 0, 0, -2
      for _, key in ipairs(page[2]) do
        local ttl = redis.call('pttl', key)
        keys = keys + 1
        if ttl == -1 then persistent = persistent + 1 end
        if ttl > maxTtl then maxTtl = ttl end
      end
      return {page[1], keys, persistent, maxTtl}
      """;

  /** The outcome. Heap numbers in bytes, TTLs in milliseconds. */
  record Outcome(
      int keys,
      int threads,
      double seconds,
      long heapBeforeBytes,
      long heapRightAfterBytes,
      long heapAfterBytes,
      long redisKeysLeft,
      long keysWithoutExpiry,
      long maxTtlMillis,
      long boundMillis,
      long redisMemoryBeforeBytes,
      long redisMemoryAfterBytes,
      long redisSettledMillis,
      Retained retained) {

    long heapGrowthBytes() {
      return heapAfterBytes - heapBeforeBytes;
    }
  }

  /**
   * The same run with the opt-in {@code fencingRetention(10 min)} (the old default), on fewer keys:
   * what each released key then costs Redis until its counter expires.
   */
  record Retained(int keys, long keysLeft, long usedMemoryGrowthBytes) {
    double bytesPerKey() {
      return keysLeft == 0 ? 0 : usedMemoryGrowthBytes / (double) keysLeft;
    }
  }

  private final BenchSettings settings;
  private final org.redisson.api.RedissonClient client;
  private final RedisServer server;

  MemoryProbe(BenchSettings settings, RedisServer server, org.redisson.api.RedissonClient client) {
    this.client = client;
    this.settings = settings;
    this.server = server;
  }

  Outcome measure(LockManager locks) throws Exception {
    // warm the path so class loading and JIT code are not counted as growth
    for (int i = 0; i < 2_000; i++) {
      locks.with("bench:memory:warmup:" + i).run(() -> {});
    }
    server.command("FLUSHALL");
    long heapBefore = heapAfterFullGc();
    long redisBefore = usedMemory();
    long started = System.nanoTime();
    int threads = settings.memoryThreads();
    int keys = settings.memoryKeys();
    runDistinct(locks, "bench:memory:", keys, threads);
    double seconds = (System.nanoTime() - started) / 1e9;
    long heapRightAfter = heapAfterFullGc();
    // A closed lease's renewal task leaves the scheduler's queue when cancelled (remove-on-cancel),
    // so nothing is left to settle: the second figure equals the first up to GC noise.
    long heapAfter = heapAfterFullGc();
    long runEnded = System.nanoTime();
    long[] survey = survey();
    // Redis frees what expires (actively, in its cron): within ttl + 5 s used_memory must be back
    long settleDeadline = runEnded + LockManagerBuilder.DEFAULT_TTL.plusSeconds(5).toNanos();
    long redisAfter = usedMemory();
    while (redisAfter - redisBefore >= 5_000_000 && System.nanoTime() < settleDeadline) {
      Thread.sleep(200);
      redisAfter = usedMemory();
    }
    long settledMillis = (System.nanoTime() - runEnded) / 1_000_000;
    // the run uses the manager's defaults: its ttl and fencing retention bound what is left
    long bound =
        LockManagerBuilder.DEFAULT_TTL
            .plus(LockManagerBuilder.DEFAULT_FENCING_RETENTION)
            .toMillis();
    return new Outcome(
        keys,
        threads,
        seconds,
        heapBefore,
        heapRightAfter,
        heapAfter,
        survey[0],
        survey[1],
        survey[2],
        bound,
        redisBefore,
        redisAfter,
        settledMillis,
        retainedRun());
  }

  /**
   * Each of {@code keys} distinct keys acquired and released once, {@code threads} walking them.
   */
  private static void runDistinct(LockManager locks, String prefix, int keys, int threads)
      throws InterruptedException {
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (int i = first; i < keys && failure.get() == null; i += threads) {
                    locks.with(prefix + i).run(() -> {});
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "memory-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    Throwable error = failure.get();
    if (error != null) {
      throw new IllegalStateException("memory run failed: " + error, error);
    }
  }

  /** {@link Retained}: {@code keys} distinct keys through a manager keeping each counter 10 min. */
  Retained measureRetained(LockManager retaining, int keys) throws Exception {
    server.command("FLUSHALL");
    long before = usedMemory();
    runDistinct(retaining, "bench:retained:", keys, settings.memoryThreads());
    Retained retained = new Retained(keys, server.keyCount(), usedMemory() - before);
    server.command("FLUSHALL");
    return retained;
  }

  /** Key count, keys without expiry, largest PTTL over the whole keyspace. */
  private long[] survey() {
    long keys = 0;
    long persistent = 0;
    long maxTtl = -2;
    String cursor = "0";
    do {
      String[] page = server.command("EVAL", SURVEY_PAGE_SCRIPT, "0", cursor).split("\n");
      cursor = page[0];
      keys += Long.parseLong(page[1]);
      persistent += Long.parseLong(page[2]);
      maxTtl = Math.max(maxTtl, Long.parseLong(page[3]));
    } while (!cursor.equals("0"));
    return new long[] {keys, persistent, maxTtl};
  }

  private long usedMemory() {
    String used = server.info("memory", "used_memory");
    if (used == null) {
      throw new IllegalStateException("INFO memory has no used_memory");
    }
    return Long.parseLong(used);
  }

  private Retained retainedRun() throws Exception {
    int keys = Math.max(1_000, settings.memoryKeys() / 10);
    try (LockManager retaining =
        LockManager.builder().fencingRetention(java.time.Duration.ofMinutes(10)).redisson(client)) {
      return measureRetained(retaining, keys);
    }
  }

  /** Heap in use after full collections have stopped freeing anything. */
  static long heapAfterFullGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(100);
      long used = memory.getHeapMemoryUsage().getUsed();
      if (used >= previous - 64 * 1024) {
        return Math.min(used, previous);
      }
      previous = used;
    }
    return previous;
  }
}
