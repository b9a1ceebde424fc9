package dev.concurrencysafe.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.testing.RedisServer;
import dev.concurrencysafe.testing.RespConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Scenario 8: Redis Cluster, 3 masters + 3 replicas. Exclusion across slots with two application
 * instances, arguments with braces never choosing the slot, and a master killed with SIGKILL: every
 * call either succeeds or fails closed, and the slots come back on the promoted replica.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

  private static ClusterSetup cluster;
  private static RedissonClient appA;
  private static RedissonClient appB;
  private static LockManager locksA;
  private static LockManager locksB;
  private static LockManager handOverA;
  private static LockManager handOverB;

  enum UserKey implements LockKey {
    USER;

    @Override
    public String pattern() {
      return "rel:user:{id}";
    }

    @Override
    public Duration ttl() {
      return Duration.ofSeconds(5);
    }
  }

  @BeforeAll
  static void start() {
    cluster = new ClusterSetup();
    appA = cluster.client();
    appB = cluster.client();
    locksA = LockManager.builder().unavailableTimeout(Duration.ofSeconds(1)).redisson(appA);
    locksB = LockManager.builder().unavailableTimeout(Duration.ofSeconds(1)).redisson(appB);
    handOverA = LockManager.builder().handOver(true).redisson(appA);
    handOverB = LockManager.builder().handOver(true).redisson(appB);
  }

  @AfterAll
  static void stop() {
    if (locksA != null) {
      locksA.close();
      locksB.close();
      handOverA.close();
      handOverB.close();
      appA.shutdown();
      appB.shutdown();
    }
    cluster.close();
  }

  /**
   * With the default protocol, and with {@code handOver(true)} (waiters queued on the key's
   * master).
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  @Order(1)
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void exclusionHoldsWithKeysOnEveryMaster(boolean handOver) throws Exception {
    String prefix = handOver ? "rel:cluster:handover:" : "rel:cluster:";
    int keys = 24;
    int perThread = 300;
    AtomicLong fenceViolations = new AtomicLong();
    AtomicLong done = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < 8; t++) {
      LockManager locks =
          t % 2 == 0 ? (handOver ? handOverA : locksA) : (handOver ? handOverB : locksB);
      RedissonClient client = t % 2 == 0 ? appA : appB;
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  int k = ThreadLocalRandom.current().nextInt(keys);
                  RBucket<String> counter =
                      client.getBucket(prefix + "counter:" + k, StringCodec.INSTANCE);
                  try (Lease lease =
                      locks.with(prefix + k).waitTimeout(Duration.ofSeconds(10)).acquire()) {
                    String value = counter.get();
                    String[] read = value == null ? new String[] {"0", "0"} : value.split(":");
                    if (Long.parseLong(read[1]) >= lease.fencingToken()) {
                      fenceViolations.incrementAndGet();
                    }
                    LockSupport.parkNanos(100_000);
                    counter.set((Long.parseLong(read[0]) + 1) + ":" + lease.fencingToken());
                    done.incrementAndGet();
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long counted = 0;
    Set<Integer> mastersUsed = new HashSet<>();
    for (int k = 0; k < keys; k++) {
      String value = appA.<String>getBucket(prefix + "counter:" + k, StringCodec.INSTANCE).get();
      counted += value == null ? 0 : Long.parseLong(value.split(":")[0]);
      // the lock (and, while it is held, its fencing counter) lives on its slot's master
      String lock = "{" + prefix + k + "}";
      RedisServer owner = cluster.masterOf(cluster.slotOf(lock));
      try (Lease held = (handOver ? handOverA : locksA).with(prefix + k).acquire()) {
        assertEquals("1", owner.command("EXISTS", lock), "lock on the slot's master");
      }
      assertEquals("0", owner.command("EXISTS", lock + ":queue"), "no queue left");
      mastersUsed.add(owner.port());
    }
    Figures.record(
        "Cluster exclusion" + (handOver ? ", handOver(true)" : ""),
        String.format(
            "2 instances x 4 threads, %d keys on %d"
                + " masters: %d sections in %.1f s, lost updates %d, fencing-order violations %d",
            keys,
            mastersUsed.size(),
            done.get(),
            seconds,
            done.get() - counted,
            fenceViolations.get()));
    assertEquals(8L * perThread, done.get());
    assertEquals(done.get(), counted, "lost updates = overlapping sections");
    assertEquals(0, fenceViolations.get());
    assertEquals(ClusterSetup.MASTERS, mastersUsed.size(), "keys spread over every master");
  }

  @Test
  @Order(2)
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void argumentsWithBracesNeverChooseTheSlot() {
    List<String> arguments = List.of("{same}", "{same}:2", "x{same}y", "{}", "}{", "{{same}}");
    Set<Integer> slots = new HashSet<>();
    int tagSlot = cluster.slotOf("same");
    for (String argument : arguments) {
      try (Lease lease = locksA.with(UserKey.USER, argument).acquire()) {
        String formatted = UserKey.USER.format(argument);
        assertTrue(formatted.indexOf('{') < 0 && formatted.indexOf('}') < 0, formatted);
        String lockKey = "{" + formatted + "}";
        int slot = cluster.slotOf(lockKey);
        assertEquals(
            "1",
            cluster.masterOf(slot).command("EXISTS", lockKey),
            "the lock is where its whole key hashes");
        assertNotEquals(tagSlot, slot, "argument " + argument + " chose the slot of 'same'");
        slots.add(slot);
        assertTrue(lease.isValid());
      }
    }
    Figures.record(
        "Cluster braces",
        arguments.size()
            + " arguments containing braces landed on "
            + slots.size()
            + " distinct slots, none on the slot of their embedded hash tag ("
            + tagSlot
            + ")");
    assertTrue(slots.size() > 1);
  }

  private static List<String> keysServedBy(RedisServer master, String prefix, int count) {
    List<String> keys = new ArrayList<>();
    for (int k = 0; keys.size() < count; k++) {
      String key = prefix + k;
      if (cluster.masterOf(cluster.slotOf("{" + key + "}")) == master) {
        keys.add(key);
      }
    }
    return keys;
  }

  @Test
  @Order(3)
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void masterKilledFailsClosedThenTheReplicaTakesOver() throws Exception {
    RedisServer victim = cluster.masters.get(0);
    // Keys served by the victim, held before the crash.
    List<String> victimKeys = keysServedBy(victim, "rel:failover:", 20);
    List<String> probeKeys = keysServedBy(victim, "rel:failover:probe:", 20);
    List<Lease> held = new ArrayList<>();
    for (String key : victimKeys) {
      held.add(locksA.with(key).ttl(Duration.ofSeconds(60)).acquire());
    }
    // Let the replica acknowledge them (one ordered replication stream), as in normal operation.
    try (RespConnection raw = new RespConnection(victim.port())) {
      raw.call("SET", "rel:failover:barrier{" + victimKeys.get(0) + "}", "1");
      assertEquals("1", raw.call("WAIT", "1", "2000"));
    }

    long killedAt = System.nanoTime();
    victim.stop();
    int succeeded = 0;
    int failedClosed = 0;
    int blocked = 0;
    int bodies = 0;
    long recoveredMillis = -1;
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(40);
    int attempt = 0;
    while (System.nanoTime() < deadline) {
      String key = probeKeys.get(attempt++ % probeKeys.size());
      try {
        int[] ran = new int[1];
        locksB.with(key).run(() -> ran[0]++);
        bodies += ran[0];
        succeeded++;
        if (recoveredMillis < 0) {
          assertNotEquals(victim, cluster.masterOf(cluster.slotOf("{" + key + "}")));
          recoveredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        }
        if (succeeded >= 20) {
          break;
        }
      } catch (LockUnavailableException e) {
        failedClosed++;
      } catch (ConcurrencyException e) {
        blocked++;
      }
    }
    assertTrue(recoveredMillis > 0, "the victim's slots never came back");
    assertEquals(succeeded, bodies, "a body ran only when its call succeeded");
    int survived = 0;
    int regranted = 0;
    for (int i = 0; i < victimKeys.size(); i++) {
      try (Lease again = locksB.with(victimKeys.get(i)).ttl(Duration.ofSeconds(60)).acquire()) {
        regranted++;
        assertTrue(again.fencingToken() > held.get(i).fencingToken());
      } catch (ConcurrencyException stillHeld) {
        survived++;
      }
    }
    held.forEach(Lease::close);
    Figures.record(
        "Cluster master failover",
        String.format(
            "master killed with %d locks held on"
                + " its slots (replica acknowledged them): calls to its slots failed closed %d times"
                + " (LockUnavailableException, no body ran), blocked %d, then succeeded %d ms after the"
                + " kill on the promoted replica; held locks that survived the failover: %d/%d"
                + " (re-granted: %d)",
            victimKeys.size(),
            failedClosed,
            blocked,
            recoveredMillis,
            survived,
            victimKeys.size(),
            regranted));
    assertEquals(victimKeys.size(), survived, "acknowledged locks survive a replica promotion");
  }
}
