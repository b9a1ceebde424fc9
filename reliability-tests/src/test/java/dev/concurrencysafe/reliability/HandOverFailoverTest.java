package dev.concurrencysafe.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.testing.RespConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.api.RedissonClient;

/**
 * The grant-on-release protocol ({@code handOver(true)}) through a Sentinel failover with waiters
 * queued in Redis: the master is killed (SIGKILL) while one node holds a key and three waiters of
 * another node are queued behind it, everything replicated. Waiters cannot reach the store: they
 * fail closed (never hang, never hold); the lock survives on the promoted replica (it was
 * replicated); the dead waiters' queue entries expire there by themselves; and the new master hands
 * the key to a waiter queued on it, with a greater fencing token, leaving nothing behind.
 */
class HandOverFailoverTest {

  private static final String KEY = "rel:handover:failover";
  private static final Duration UNAVAILABLE = Duration.ofSeconds(1);

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void queuedWaitersFailClosedAndTheNewMasterHandsOverLeavingNothing() throws Exception {
    ExecutorService threads = Executors.newCachedThreadPool();
    try (SentinelSetup setup = new SentinelSetup()) {
      RedissonClient holderClient = setup.client();
      RedissonClient waiterClient = setup.client();
      try (LockManager holderNode = node(holderClient);
          LockManager waiterNode = node(waiterClient);
          RespConnection master = new RespConnection(setup.master.port())) {
        Lease holder = holderNode.with(KEY).ttl(Duration.ofSeconds(30)).acquire();
        List<CompletableFuture<Object>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          waiters.add(
              CompletableFuture.supplyAsync(
                  () -> outcome(waiterNode, Duration.ofSeconds(30)), threads));
        }
        String queue = "{" + KEY + "}:queue";
        SentinelSetup.await("3 waiters queued", () -> "3".equals(master.call("ZCARD", queue)));
        master.call("SET", "rel:handover:barrier", "1");
        assertEquals("1", master.call("WAIT", "1", "5000"), "the replica has the queue");

        long killedAt = System.nanoTime();
        setup.master.stop();
        for (CompletableFuture<Object> waiter : waiters) {
          Object outcome = waiter.get(20, TimeUnit.SECONDS);
          assertInstanceOf(
              LockUnavailableException.class, outcome, "a waiter fails closed: " + outcome);
        }
        long failedWithin = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertTrue(failedWithin < 5_000, "waiters failed within " + failedWithin + " ms");

        setup.awaitMasterIs(setup.replica.port());
        long promotedWithin = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        RespConnection promoted = new RespConnection(setup.replica.port());
        try (promoted) {
          SentinelSetup.await(
              "the dead waiters' entries expired on the new master",
              () -> "0".equals(promoted.call("EXISTS", queue)));
          // the lock was replicated: the holder still holds it on the new master
          SentinelSetup.await(
              "the holder's lock is on the new master",
              () -> "1".equals(promoted.call("EXISTS", "{" + KEY + "}")));
          CompletableFuture<Object> next =
              CompletableFuture.supplyAsync(() -> outcomeAfterFailover(waiterNode), threads);
          SentinelSetup.await(
              "a new waiter queued on the new master",
              () -> "1".equals(promoted.call("ZCARD", queue)));
          reachesTheNewMaster(holderNode);
          long releasedAt = System.nanoTime();
          holder.close();
          Object handed = next.get(20, TimeUnit.SECONDS);
          long handedWithin = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - releasedAt);
          Figures.record(
              "Hand-over through a Sentinel failover (3 waiters queued, master SIGKILLed)",
              "waiters failed closed within "
                  + failedWithin
                  + " ms of the kill; replica promoted after "
                  + promotedWithin
                  + " ms; the lock survived; the dead waiters' entries expired there; the"
                  + " holder's release handed the key to a waiter queued on the new master in "
                  + handedWithin
                  + " ms (its body ran and released), token greater; nothing left");
          assertInstanceOf(Long.class, handed, "the new waiter was handed the key: " + handed);
          assertTrue((Long) handed > holder.fencingToken(), "a greater fencing token");
          master.close();
          SentinelSetup.await(
              "nothing left on the new master but the barrier",
              () -> "1".equals(promoted.call("DBSIZE")));
        }
      } finally {
        holderClient.shutdown();
        waiterClient.shutdown();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private static LockManager node(RedissonClient client) {
    return LockManager.builder().handOver(true).unavailableTimeout(UNAVAILABLE).redisson(client);
  }

  /** The lease's token if the waiter held the key (then released), else what it threw. */
  private static Object outcome(LockManager node, Duration wait) {
    try (Lease lease = node.with(KEY).waitTimeout(wait).acquire()) {
      return lease.fencingToken();
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** Returns once {@code node}'s client has followed Sentinel to the new master. */
  private static void reachesTheNewMaster(LockManager node) {
    SentinelSetup.await(
        "the holder's client reaches the new master",
        () -> {
          try {
            node.with("rel:handover:probe").run(() -> {});
            return true;
          } catch (LockUnavailableException switching) {
            return false;
          }
        });
  }

  /** As {@link #outcome}, once the waiter's client reaches the new master (it follows Sentinel). */
  private static Object outcomeAfterFailover(LockManager node) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      Object outcome = outcome(node, Duration.ofSeconds(20));
      if (!(outcome instanceof LockUnavailableException) || System.nanoTime() > deadline) {
        return outcome;
      }
    }
  }
}
