package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.spi.LockBackend;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RBucket;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The variants of measures 1 (uncontended cycle) and 2 (refused fail-fast request), all through the
 * fixture's one Redisson client with the same ttl, so only the lock protocol differs.
 *
 * <p>Thread-safety: the variants are meant to be run from one thread at a time.
 */
final class Variants {

  static final Duration TTL = Duration.ofSeconds(10);
  static final String RTT_KEY = "bench:rtt";
  private static final Runnable EMPTY = () -> {};

  /**
   * The engine over the in-memory backend: what the engine costs per call when the store answers at
   * once. Separates engine overhead from Redis time in the profiling rows.
   */
  static final LockManager IN_MEMORY = LockManager.inMemory();

  private Variants() {}

  /** The floor: one GET of a missing key through the same client. */
  static Variant roundTrip(RedissonClient client) {
    RBucket<String> bucket = client.getBucket(RTT_KEY, StringCodec.INSTANCE);
    return new Variant("rtt", "RTT floor: GET through the same Redisson client", bucket::get);
  }

  /** Measure 1: acquire → empty body → release on a free key, one thread. */
  static List<Variant> uncontended(RedissonClient client, LockManager locks) {
    List<Variant> variants = new ArrayList<>();
    variants.add(
        new Variant(
            "dsl",
            "concurrency-safe DSL `with(k).run(..)`",
            () -> locks.with("bench:cycle:dsl").run(EMPTY::run)));
    variants.add(
        new Variant(
            "acquire",
            "concurrency-safe `with(k).acquire()` + close",
            () -> {
              Lease lease = locks.with("bench:cycle:acquire").acquire();
              try {
                EMPTY.run();
              } finally {
                lease.close();
              }
            }));
    variants.add(
        new Variant(
            "rlock",
            "raw Redisson RLock `tryLock(0, lease)` / `unlock()`",
            () -> {
              RLock lock = client.getLock("bench:cycle:rlock");
              if (!lock.tryLock(0, TTL.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("uncontended RLock refused");
              }
              try {
                EMPTY.run();
              } finally {
                lock.unlock();
              }
            }));
    NaiveLock naive = new NaiveLock(client);
    variants.add(
        new Variant(
            "naive",
            "hand-rolled `SET NX PX` + `DEL`",
            () -> naive.run("bench:cycle:naive", TTL, Duration.ZERO, EMPTY)));
    variants.add(
        new Variant(
            "engine",
            "profiling: the DSL over the in-memory backend (engine" + " alone, no Redis)",
            () -> IN_MEMORY.with("bench:cycle:engine").run(EMPTY::run)));
    variants.add(backendCycle(client));
    variants.add(roundTrip(client));
    return variants;
  }

  /**
   * Measure 7: client CPU per cycle. The DSL and raw RLock as in measure 1, two GETs (the client's
   * floor for any two-round-trip protocol) and, for profiling, our two scripts without the engine.
   */
  static List<Variant> cpu(RedissonClient client, LockManager locks) {
    List<Variant> all = uncontended(client, locks);
    List<Variant> variants = new ArrayList<>();
    for (Variant v : all) {
      if (List.of("dsl", "rlock", "backend", "engine").contains(v.id())) {
        variants.add(v);
      }
    }
    RBucket<String> bucket = client.getBucket(RTT_KEY, StringCodec.INSTANCE);
    variants.add(
        new Variant(
            "gets",
            "two GETs through the same Redisson client",
            () -> {
              bucket.get();
              bucket.get();
            }));
    return variants;
  }

  /**
   * Measure 7, the client's own cost: the DSL, raw RLock and two GETs through a second client that
   * uses Netty's native epoll transport instead of NIO (fewer system calls per hand-off).
   */
  static List<Variant> cpuEpoll(RedissonClient epollClient, LockManager epollLocks) {
    List<Variant> variants = new ArrayList<>();
    for (Variant v : cpu(epollClient, epollLocks)) {
      if (List.of("dsl", "rlock", "gets").contains(v.id())) {
        variants.add(
            new Variant(v.id() + "-epoll", v.label() + ", epoll transport", v.operation()));
      }
    }
    return variants;
  }

  /**
   * Measure 2: a fail-fast request for a key held elsewhere. The holders are set up by {@link
   * RefusedHolders}; every variant must be refused, or the run aborts.
   */
  static List<Variant> refused(RedissonClient client, LockManager locks) {
    List<Variant> variants = new ArrayList<>();
    // DEBUG: the one "blocked" line per refusal is not printed, so the numbers are the lock's own
    // cost, not the console's. At the default WARNING every refusal would also write a log line.
    variants.add(refusedRun("dsl", "concurrency-safe DSL `with(k).run(..)`, refused", locks));
    variants.add(
        new Variant(
            "acquire",
            "concurrency-safe `acquire()`, refused",
            () -> {
              try (Lease lease =
                  locks.with(RefusedHolders.OURS).blockedLogLevel(Level.DEBUG).acquire()) {
                throw new IllegalStateException("refused acquire() returned " + lease);
              } catch (ConcurrencyException expected) {
                // the measured outcome
              }
            }));
    variants.add(
        new Variant(
            "rlock",
            "raw Redisson RLock `tryLock(0, lease)`, refused",
            () -> {
              if (client
                  .getLock(RefusedHolders.RLOCK)
                  .tryLock(0, TTL.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("refused RLock was acquired");
              }
            }));
    variants.add(refusedNaive(new NaiveLock(client)));
    variants.add(
        refusedRun(
            "engine",
            "profiling: the DSL over the in-memory backend, refused"
                + " (engine and exception, no Redis)",
            IN_MEMORY));
    LockBackend backend = LockManager.builder().redissonBackend(client);
    variants.add(
        new Variant(
            "backend",
            "profiling: our acquire script alone via the SPI backend,"
                + " refused (no engine, no exception)",
            () -> {
              if (backend
                  .tryAcquire("bench:refused:ours", "bench-owner", TTL.toMillis())
                  .toCompletableFuture()
                  .get()
                  .acquired()) {
                throw new IllegalStateException("refused backend acquire succeeded");
              }
            }));
    variants.add(roundTrip(client));
    return variants;
  }

  /**
   * {@code with(k).run(..)} on {@code manager} for the key held elsewhere: refused, or it fails.
   */
  private static Variant refusedRun(String id, String label, LockManager manager) {
    return new Variant(
        id,
        label,
        () -> {
          try {
            manager.with(RefusedHolders.OURS).blockedLogLevel(Level.DEBUG).run(EMPTY::run);
            throw new IllegalStateException("refused '" + id + "' request ran its body");
          } catch (ConcurrencyException expected) {
            // the measured outcome
          }
        });
  }

  private static Variant refusedNaive(NaiveLock naive) {
    return new Variant(
        "naive",
        "hand-rolled `SET NX PX`, refused",
        () -> {
          try {
            naive.run(
                RefusedHolders.NAIVE,
                TTL,
                Duration.ZERO,
                () -> {
                  throw new IllegalStateException("refused hand-rolled request ran its body");
                });
          } catch (NaiveLock.Blocked expected) {
            // the refusal being measured
          }
        });
  }

  /** Measure 1's profiling row: our two scripts through the SPI backend, without the engine. */
  private static Variant backendCycle(RedissonClient client) {
    LockBackend backend = LockManager.builder().redissonBackend(client);
    return new Variant(
        "backend",
        "profiling: our two Lua scripts alone via the SPI backend" + " (no engine)",
        () -> {
          if (!backend
              .tryAcquire("bench:cycle:backend", "bench-owner", TTL.toMillis())
              .toCompletableFuture()
              .get()
              .acquired()) {
            throw new IllegalStateException("uncontended backend acquire refused");
          }
          backend.release("bench:cycle:backend", "bench-owner", 0).toCompletableFuture().get();
        });
  }
}
