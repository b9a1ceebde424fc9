package dev.concurrencysafe.examples.demo;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.Locks;
import dev.concurrencysafe.examples.plain.FencedStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 3: a naive lock's defects side by side with this library, on the same Redis.
 *
 * <p>(a) Work longer than the ttl: the naive helper's key expires mid-work and a second worker gets
 * in; ours is renewed every ttl/3 while the body runs, so the second is refused.
 *
 * <p>(b) A stale release after expiry: A stalls past its ttl, B takes the lock, A wakes and
 * releases. The naive helper's unconditional DEL removes B's lock and lets C in next to B; ours
 * releases only its own lock, and A's late write is rejected by its fencing token.
 *
 * <p>Thread-safety: run from one thread.
 */
final class NaiveLockScenario {

  static final Duration TTL = Duration.ofMillis(500);
  static final Duration LONG_WORK = Duration.ofMillis(1200);
  static final Duration SECOND_ARRIVES_AFTER = Duration.ofMillis(800);

  private NaiveLockScenario() {}

  static boolean run(DemoContext ctx) throws Exception {
    Report report = ctx.report();
    report.section(
        3,
        "A naive lock's bugs, side by side (OLD = a naive SETNX/DEL helper"
            + " re-created in this demo, for comparison only)");
    boolean a = workLongerThanTtl(ctx, report);
    boolean b = staleReleaseAfterExpiry(ctx, report);
    return a && b && report.sectionPassed();
  }

  private static boolean workLongerThanTtl(DemoContext ctx, Report report) throws Exception {
    report.line(
        "(a) A works %d ms under a %d ms ttl; B sends the same request at %d ms",
        LONG_WORK.toMillis(), TTL.toMillis(), SECOND_ARRIVES_AFTER.toMillis());

    List<String> oldOverlaps = naiveWorkLongerThanTtl(ctx, report);

    String ourKey = "demo:long-work";
    IntervalLog ourLog = new IntervalLog();
    CountDownLatch ourAInside = new CountDownLatch(1);
    long[] ourAToken = new long[1];
    boolean[] ourAValidAtEnd = new boolean[1];
    CompletableFuture<Object> ourA =
        inBackground(
            () -> {
              try (Lease lease = Locks.with(ourKey).ttl(TTL).acquire()) {
                ourAToken[0] = lease.fencingToken();
                ourLog.inside(
                    "A",
                    () -> {
                      ourAInside.countDown();
                      sleep(LONG_WORK);
                    });
                ourAValidAtEnd[0] = lease.isValid();
                return "A";
              }
            });
    ourAInside.await(5, TimeUnit.SECONDS);
    sleep(SECOND_ARRIVES_AFTER);
    String ourB =
        tryRun(
            () ->
                Locks.with(ourKey)
                    .ttl(TTL)
                    .call(
                        () -> {
                          ourLog.inside("B", () -> sleep(Duration.ofMillis(100)));
                          return "got in";
                        }));
    ourA.get(10, TimeUnit.SECONDS);
    List<String> ourOverlaps = ourLog.overlaps();
    report.line(
        "    OURS: A holds token %d, renewed every %d ms, still valid after %d ms; B %s",
        ourAToken[0], TTL.toMillis() / 3, LONG_WORK.toMillis(), ourB);

    report.check(
        !oldOverlaps.isEmpty(), "(a) old way: the key expired mid-work and let a duplicate in");
    report.check(
        ourOverlaps.isEmpty() && ourB.startsWith("refused") && ourAValidAtEnd[0],
        "(a) ours: renewed while working, the duplicate was refused");
    return true;
  }

  /** (a) with the naive lock: what worked at once. */
  private static List<String> naiveWorkLongerThanTtl(DemoContext ctx, Report report)
      throws Exception {
    NaiveLock naive = new NaiveLock(ctx.redis());
    String naiveKey = ctx.naiveKey("long-work");
    IntervalLog oldLog = new IntervalLog();
    CountDownLatch oldAInside = new CountDownLatch(1);
    CompletableFuture<Object> oldA =
        inBackground(
            () ->
                naive.run(
                    naiveKey,
                    TTL,
                    Duration.ZERO,
                    () -> {
                      oldLog.inside(
                          "A",
                          () -> {
                            oldAInside.countDown();
                            sleep(LONG_WORK);
                          });
                      return "A";
                    }));
    oldAInside.await(5, TimeUnit.SECONDS);
    sleep(SECOND_ARRIVES_AFTER);
    String oldB =
        tryRun(
            () ->
                naive.run(
                    naiveKey,
                    TTL,
                    Duration.ZERO,
                    () -> {
                      oldLog.inside("B", () -> sleep(Duration.ofMillis(100)));
                      return "got in";
                    }));
    oldA.get(10, TimeUnit.SECONDS);
    List<String> oldOverlaps = oldLog.overlaps();
    report.line(
        "    OLD : B %s -> %s",
        oldB,
        oldOverlaps.isEmpty()
            ? "one worker at a time"
            : "DUPLICATE: " + oldOverlaps + " worked at once");
    return oldOverlaps;
  }

  private static boolean staleReleaseAfterExpiry(DemoContext ctx, Report report) throws Exception {
    report.line(
        "(b) A stalls past its %d ms ttl, B takes over, A wakes up and releases, then C"
            + " arrives while B is still working",
        TTL.toMillis());

    boolean oldDuplicate = naiveStaleRelease(ctx, report);

    // OURS. A renewed lease would not expire during a mere sleep (see (a)), so the demo stands in
    // for a frozen JVM (a long GC or SIGSTOP stops the renewals too) by expiring A's key in Redis.
    // Each caller runs on its own thread: on one thread, a nested acquire of the same key would
    // join the lease it already holds (reentrancy) instead of competing for it.
    String ourKey = "demo:stale-release";
    FencedStore store = new FencedStore();
    Lease leaseA = onThread(() -> Locks.with(ourKey).ttl(TTL).acquire());
    long deleted = ctx.redis().getKeys().delete("{" + ctx.keyPrefix() + ourKey + "}");
    if (deleted != 1) {
      leaseA.close();
      return report.check(
          false, "(b) could not expire A's lock key; did the Redis key layout change?");
    }
    ctx.logs().drain();
    long tokenA = leaseA.fencingToken();
    Lease leaseB = onThread(() -> Locks.with(ourKey).ttl(TTL).acquire());
    long tokenB = leaseB.fencingToken();
    String cOutcome;
    boolean staleWriteAccepted;
    try {
      store.write("order-1", tokenB, "written by B");
      onThread(
          () -> {
            leaseA.close(); // A wakes: its release is owner-checked and leaves B's lock alone
            return leaseA.isValid();
          });
      staleWriteAccepted = store.write("order-1", tokenA, "late write by A");
      cOutcome = onThread(() -> tryRun(() -> Locks.with(ourKey).ttl(TTL).call(() -> "got in")));
    } finally {
      leaseB.close();
    }
    List<String> aSaw =
        ctx.logs().drain().stream().filter(line -> line.contains("no longer held")).toList();
    report.line(
        "    OURS: A token %d, B token %d; A's release left B's lock alone; C %s",
        tokenA, tokenB, cOutcome);
    report.line(
        "          A's late write with token %d %s (the store had seen %d)",
        tokenA, staleWriteAccepted ? "was ACCEPTED" : "was rejected", tokenB);
    aSaw.forEach(line -> report.line("          A's log: %s", line));

    report.check(oldDuplicate, "(b) old way: the unchecked DEL let a duplicate in");
    report.check(
        cOutcome.startsWith("refused") && tokenB > tokenA && !staleWriteAccepted,
        "(b) ours: C refused, B's token > A's, A's stale write rejected by fencing");
    return true;
  }

  /** (b) with the naive lock: whether A's DEL let C in next to B. */
  private static boolean naiveStaleRelease(DemoContext ctx, Report report) {
    // OLD, one Redis call at a time, exactly the naive helper's sequence of add/delete.
    NaiveLock naive = new NaiveLock(ctx.redis());
    String naiveKey = ctx.naiveKey("stale-release");
    boolean oldAIn = naive.add(naiveKey, TTL);
    sleep(TTL.plusMillis(100)); // A stalls: its key expires
    boolean oldBIn = naive.add(naiveKey, TTL);
    naive.delete(naiveKey); // A wakes and runs its finally: deletes B's key
    boolean oldCIn = naive.add(naiveKey, TTL);
    naive.delete(naiveKey);
    report.line(
        "    OLD : A in=%s, B in=%s, A's DEL removed B's key, C in=%s -> %s",
        oldAIn, oldBIn, oldCIn, oldCIn ? "DUPLICATE: B and C work at once" : "C refused");
    return oldAIn && oldBIn && oldCIn;
  }

  private static String tryRun(ThrowingSupplier<String> attempt) {
    try {
      return attempt.get();
    } catch (ConcurrencyException | NaiveLock.Blocked e) {
      return "refused: " + e.getMessage();
    } catch (Exception e) {
      return "failed: " + e;
    }
  }

  /** Runs {@code body} on a new thread and waits for it: one thread per caller. */
  private static <T> T onThread(ThrowingSupplier<T> body) throws Exception {
    return inBackground(body).get(10, TimeUnit.SECONDS);
  }

  /** Starts {@code body} on a new thread of its own (not a shared pool that may be busy). */
  private static <T> CompletableFuture<T> inBackground(ThrowingSupplier<T> body) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(body.get());
              } catch (Exception | Error e) {
                result.completeExceptionally(e);
              }
            },
            "demo-caller");
    thread.start();
    return result;
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @FunctionalInterface
  private interface ThrowingSupplier<T> {
    T get() throws Exception;
  }
}
