package dev.concurrencysafe.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.api.RedissonClient;

/**
 * Scenarios 2 and 3: the holding JVM is killed with SIGKILL, or frozen with SIGSTOP for longer than
 * the ttl and then continued. 20 trials each, several child JVMs at a time.
 */
class HolderCrashAndPauseTest {

  private static final int TRIALS = 20;
  private static final int PARALLEL = 4;

  /** Renewed every 500 ms: long enough that CPU starvation on a loaded CI box does not lose it. */
  private static final long TTL_MS = 1500;

  private static final long SLACK_MS = 500;

  private static RedisServer redis;
  private static RedissonClient client;
  private static LockManager locks;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
    client = Clients.single(redis.port());
    locks = LockManager.redisson(client);
  }

  @AfterAll
  static void stopRedis() {
    locks.close();
    client.shutdown();
    redis.close();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void killedHoldersKeyIsTakenWithinTtlPlusHalfASecond() throws Exception {
    List<Long> handover =
        runTrials(
            TRIALS,
            trial -> {
              try (ChildJvm holder = ChildJvm.start("hold", Integer.toString(redis.port()))) {
                String key = "rel:kill:" + trial;
                holder.expect("READY", Duration.ofSeconds(60));
                holder.send("ACQUIRE " + key + " " + TTL_MS);
                long heldToken = Long.parseLong(holder.expect("ACQUIRED", Duration.ofSeconds(10)));
                // Hold for longer than the ttl: only renewals keep the lock, so the kill hits a
                // renewed lease.
                Thread.sleep(TTL_MS * 4 / 3);
                holder.send("CHECK");
                assertEquals("true", holder.expect("VALID", Duration.ofSeconds(10)));

                ExecutorService waiter = Executors.newSingleThreadExecutor();
                try {
                  Future<Lease> next =
                      waiter.submit(
                          () ->
                              locks
                                  .with(key)
                                  .ttl(Duration.ofMillis(TTL_MS))
                                  .waitTimeout(Duration.ofSeconds(5))
                                  .acquire());
                  long killedAt = System.nanoTime();
                  holder.kill9();
                  try (Lease lease = next.get(10, TimeUnit.SECONDS)) {
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                    assertTrue(lease.fencingToken() > heldToken, "token increases across owners");
                    assertTrue(
                        millis <= TTL_MS + SLACK_MS,
                        "next owner got in "
                            + millis
                            + " ms after kill -9, bound "
                            + (TTL_MS + SLACK_MS));
                    return millis;
                  }
                } finally {
                  waiter.shutdownNow();
                }
              }
            });
    Figures.record(
        "holder killed (kill -9)",
        String.format(
            "%d/%d trials, ttl %d ms: next owner in after kill min %d ms, max %d ms (bound ttl + %d ms)",
            handover.size(),
            TRIALS,
            TTL_MS,
            handover.stream().mapToLong(Long::longValue).min().orElse(-1),
            handover.stream().mapToLong(Long::longValue).max().orElse(-1),
            SLACK_MS));
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void pausedHolderLosesTheLockAndCannotReleaseTheNewOwners() throws Exception {
    List<ChildJvm> holders = new ArrayList<>();
    try {
      for (int i = 0; i < PARALLEL; i++) {
        holders.add(ChildJvm.start("hold", Integer.toString(redis.port())));
      }
      for (ChildJvm holder : holders) {
        holder.expect("READY", Duration.ofSeconds(60));
      }
      Object[] turns = new Object[PARALLEL];
      for (int i = 0; i < PARALLEL; i++) {
        turns[i] = new Object();
      }
      List<Long> handover =
          runTrials(
              TRIALS,
              trial -> {
                ChildJvm holder = holders.get(trial % PARALLEL);
                synchronized (turns[trial % PARALLEL]) {
                  String key = "rel:pause:" + trial;
                  holder.send("ACQUIRE " + key + " " + TTL_MS);
                  long pausedToken =
                      Long.parseLong(holder.expect("ACQUIRED", Duration.ofSeconds(10)));
                  long pausedAt = System.nanoTime();
                  holder.pause();
                  // The new owner's own ttl is generous: a stall of this JVM must not cost it the
                  // lock.
                  try (Lease mine =
                      locks
                          .with(key)
                          .ttl(Duration.ofSeconds(10))
                          .waitTimeout(Duration.ofSeconds(5))
                          .acquire()) {
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt);
                    String myOwnerId = redis.command("GET", "{" + key + "}");
                    assertTrue(
                        mine.fencingToken() > pausedToken,
                        "new token "
                            + mine.fencingToken()
                            + " must exceed the paused holder's "
                            + pausedToken);
                    String resource = "rel:pause:resource:" + trial;
                    assertEquals(
                        "1",
                        redis.command(
                            "EVAL",
                            ChildMain.FENCED_WRITE,
                            "1",
                            resource,
                            Long.toString(mine.fencingToken()),
                            "new-owner"),
                        "the new owner's fenced write");
                    holder.resume();
                    holder.send("CHECK");
                    assertEquals(
                        "false",
                        holder.expect("VALID", Duration.ofSeconds(10)),
                        "the resumed body must see its lease as invalid");
                    // Kleppmann's gap: the resumed body writes anyway; its older token is rejected.
                    holder.send("WRITE " + resource);
                    assertEquals(
                        "false",
                        holder.expect("WRITTEN", Duration.ofSeconds(10)),
                        "a fenced resource must reject the paused holder's stale write");
                    assertEquals("new-owner", redis.command("HGET", resource, "value"));
                    holder.send("RELEASE");
                    holder.expect("RELEASED", Duration.ofSeconds(10));
                    assertEquals(
                        myOwnerId,
                        redis.command("GET", "{" + key + "}"),
                        "the resumed holder's release must not touch the new owner's lock");
                    assertTrue(mine.isValid());
                    return millis;
                  } finally {
                    holder.resume();
                  }
                }
              });
      Figures.record(
          "holder paused (SIGSTOP > ttl, then SIGCONT)",
          String.format(
              "%d/%d trials, ttl %d ms: another process in after the pause within max %d ms; the resumed"
                  + " lease reported invalid, its late fenced write was rejected, its release left the"
                  + " new owner's lock untouched, new token greater in every trial",
              handover.size(),
              TRIALS,
              TTL_MS,
              handover.stream().mapToLong(Long::longValue).max().orElse(-1)));
      for (int trial = 0; trial < TRIALS; trial++) {
        assertEquals("0", redis.command("EXISTS", "{rel:pause:" + trial + "}"));
      }
    } finally {
      holders.forEach(ChildJvm::close);
    }
  }

  interface Trial {
    long run(int trial) throws Exception;
  }

  /** Runs the trials {@value #PARALLEL} at a time; every trial must pass. */
  private static List<Long> runTrials(int count, Trial trial) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        futures.add(pool.submit(() -> trial.run(n)));
      }
      List<Long> results = new ArrayList<>();
      for (Future<Long> future : futures) {
        results.add(future.get(100, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
