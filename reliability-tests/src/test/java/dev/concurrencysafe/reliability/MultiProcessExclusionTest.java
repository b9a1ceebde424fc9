package dev.concurrencysafe.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Scenario 1: three JVMs x eight threads hammer eight keys; every critical section is a non-atomic
 * read-modify-write on a Redis counter, so any overlap loses an update, and checks that the fencing
 * token it finds is older than its own. Some bodies outlast the ttl (renewal must keep them
 * exclusive).
 */
class MultiProcessExclusionTest {

  private static final int JVMS = 3;
  private static final int THREADS = 8;
  private static final int KEYS = 8;
  private static final int SECTIONS_PER_JVM = 10_000;

  /**
   * Long enough that a stall of a whole JVM (GC, CPU starvation on a loaded 2-core CI machine) does
   * not outlast it: a 300 ms ttl once produced a stall-induced overlap the lease reported.
   */
  private static final long TTL_MS = Long.getLong("reliability.hammer.ttlMs", 1000);

  private static final int LONG_EVERY = 1000;
  private static final long LONG_MS = TTL_MS * 13 / 10;

  /**
   * The control: the same detector without the lock must see lost updates, else it proves nothing.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void detectorSeesLostUpdatesWithoutTheLock() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      RedissonClient client = Clients.single(redis.port());
      try {
        RBucket<String> counter = client.getBucket("rel:control", StringCodec.INSTANCE);
        int perThread = 200;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          Thread thread =
              new Thread(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      String value = counter.get();
                      LockSupport.parkNanos(100_000);
                      counter.set(Long.toString((value == null ? 0 : Long.parseLong(value)) + 1));
                    }
                  });
          thread.start();
          threads.add(thread);
        }
        for (Thread thread : threads) {
          thread.join();
        }
        long lost = (long) THREADS * perThread - Long.parseLong(counter.get());
        Figures.record(
            "multi-process exclusion (control, no lock)",
            THREADS * perThread + " unprotected sections lost " + lost + " updates");
        assertTrue(lost > 0, "the detector must catch overlapping sections");
      } finally {
        client.shutdown();
      }
    }
  }

  /** With the default protocol, and with {@code handOver(true)} (waiters queued in Redis). */
  @ParameterizedTest
  @ValueSource(strings = {"hammer", "hammer" + ChildMain.HAND_OVER})
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void threeJvmsNeverOverlapAndTokensFollowTheOrderOfEntry(String mode) {
    try (RedisServer redis = RedisServer.start()) {
      List<ChildJvm> children = new ArrayList<>();
      try {
        for (int i = 0; i < JVMS; i++) {
          children.add(
              ChildJvm.start(
                  mode,
                  Integer.toString(redis.port()),
                  Integer.toString(KEYS),
                  Integer.toString(THREADS),
                  Integer.toString(SECTIONS_PER_JVM),
                  Long.toString(TTL_MS),
                  Integer.toString(LONG_EVERY),
                  Long.toString(LONG_MS)));
        }
        for (ChildJvm child : children) {
          child.expect("READY", Duration.ofSeconds(60));
        }
        long start = System.nanoTime();
        children.forEach(child -> child.send("GO"));
        Map<String, Long> totals = new HashMap<>();
        for (ChildJvm child : children) {
          String done = child.expect("DONE", Duration.ofSeconds(120));
          for (String pair : done.split(" ")) {
            String[] kv = pair.split("=");
            totals.merge(kv[0], Long.parseLong(kv[1]), Long::sum);
          }
          assertEquals(0, child.awaitExit());
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        long counted = 0;
        for (int k = 0; k < KEYS; k++) {
          String value = redis.command("GET", "rel:counter:" + k);
          counted += value.equals("(nil)") ? 0 : Long.parseLong(value.split(":")[0]);
          assertEquals(
              "0",
              redis.command("EXISTS", "{rel:hammer:" + k + "}"),
              "lock key " + k + " left behind");
        }
        long sections = totals.get("sections");
        Figures.record(
            "multi-process exclusion (" + mode + ")",
            String.format(
                "%d JVMs x %d threads, %d keys, ttl %d ms: %d critical sections in %.1f s, lost updates"
                    + " %d, fencing-order violations %d, bodies longer than the ttl %d (invalid after"
                    + " them: %d), sections whose lease was invalid at their end %d, sections during"
                    + " which another owner acquired %d (of them with the lease still claiming"
                    + " validity: %d), fail-fast refusals %d, errors %d",
                JVMS,
                THREADS,
                KEYS,
                TTL_MS,
                sections,
                seconds,
                sections - counted,
                totals.get("fenceViolations"),
                totals.get("longBodies"),
                totals.get("invalidAfterLong"),
                totals.get("invalidAtEnd"),
                totals.get("takenDuring"),
                totals.get("validButTaken"),
                totals.get("blocked"),
                totals.get("errors")));
        assertEquals(
            0,
            totals.get("validButTaken"),
            "a lease claimed validity after another owner had acquired its key");
        assertEquals((long) JVMS * SECTIONS_PER_JVM, sections, "every section ran");
        assertEquals(
            sections,
            counted,
            "lost updates = overlapping critical sections; sections"
                + " taken over while running (a stall past the ttl, reported by the lease): "
                + totals.get("takenDuring"));
        assertEquals(
            0, totals.get("fenceViolations"), "a section saw a token not older than its own");
        assertEquals(0, totals.get("errors"));
        assertTrue(totals.get("longBodies") > 0, "some bodies outlasted the ttl");
        assertEquals(0, totals.get("invalidAfterLong"), "renewal kept long bodies valid");
      } finally {
        children.forEach(ChildJvm::close);
      }
    }
  }
}
