package dev.concurrencysafe.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code handOver(true)} with real processes: waiters in child JVMs ({@code hold-handover}) queue
 * in Redis behind a holder in this JVM, and are killed with SIGKILL or frozen with SIGSTOP while
 * queued or granted. The others are served within the protocol's bound (a dead waiter costs at most
 * lease + claim + beat = 900 ms), a frozen waiter whose wait ran out never holds, waiting is FIFO
 * across JVMs, and nothing is left in Redis. Run on one server ({@link HandOverProcessTest}) and on
 * a 3-master Cluster ({@link HandOverProcessClusterTest}).
 */
abstract class HandOverProcessCases {

  private static final long TTL_MS = 10_000;

  /** lease + claim + beat (900 ms), plus scheduling on a loaded 2-core machine. */
  private static final long BOUND_MS = 1_500;

  private static final Duration LONG = Duration.ofSeconds(20);

  /** What a child JVM's {@code ChildMain} connects to: a port, or a Cluster's node addresses. */
  protected abstract String address();

  /** A manager with {@code handOver(true)} on this test's client. */
  protected abstract LockManager locks();

  /** The number of waiters in {@code key}'s queue, asked of the server that holds it. */
  protected abstract long queued(String key);

  /** Keys left in the store (every master of a Cluster). */
  protected abstract long keysLeft();

  /** A name for the figures: "one server" or "Cluster". */
  protected abstract String topology();

  private final ExecutorService waiters = Executors.newCachedThreadPool();
  private final List<ChildJvm> children = new ArrayList<>();

  @AfterEach
  void stopChildren() throws InterruptedException {
    children.forEach(ChildJvm::close);
    waiters.shutdownNow();
    assertTrue(waiters.awaitTermination(10, TimeUnit.SECONDS));
    Await.until("nothing left in Redis", LONG, () -> keysLeft() == 0);
  }

  /** A child JVM waiting for {@code key}, queued in Redis when this returns. */
  private ChildJvm queuedChild(String key, long waitMs) {
    long before = queued(key);
    ChildJvm child = ChildJvm.start("hold" + ChildMain.HAND_OVER, address());
    children.add(child);
    child.expect("READY", Duration.ofSeconds(60));
    child.send("WAIT " + key + " " + TTL_MS + " " + waitMs);
    Await.until("the child queued for " + key, LONG, () -> queued(key) == before + 1);
    return child;
  }

  /** A waiter in this JVM, queued in Redis when this returns. */
  private Future<Lease> queuedHere(String key) {
    long before = queued(key);
    Future<Lease> lease =
        waiters.submit(
            () -> locks().with(key).ttl(Duration.ofMillis(TTL_MS)).waitTimeout(LONG).acquire());
    Await.until("this JVM's waiter queued for " + key, LONG, () -> queued(key) == before + 1);
    return lease;
  }

  private Lease hold(String key) {
    return locks().with(key).ttl(Duration.ofSeconds(30)).acquire();
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aQueuedWaiterKilledCostsTheNextLessThanTheBound() throws Exception {
    String key = "handover:killed-queued";
    Lease holder = hold(key);
    ChildJvm child = queuedChild(key, LONG.toMillis());
    Future<Lease> next = queuedHere(key);
    child.kill9(); // its entry is still live: the release grants the key to a dead waiter first
    long releasedAt = System.nanoTime();
    holder.close();
    try (Lease lease = next.get(10, TimeUnit.SECONDS)) {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - releasedAt);
      Figures.record(
          "hand-over, queued waiter kill -9, " + topology(), "next waiter in " + millis + " ms");
      assertTrue(millis < BOUND_MS, "next waiter in " + millis + " ms, bound " + BOUND_MS);
      assertTrue(lease.fencingToken() > holder.fencingToken());
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aGrantedWaiterKilledBeforeItClaimedCostsTheNextLessThanTheBound() throws Exception {
    String key = "handover:killed-granted";
    Lease holder = hold(key);
    ChildJvm child = queuedChild(key, LONG.toMillis());
    Future<Lease> next = queuedHere(key);
    child.pause(); // frozen with its entry live: the release grants it a key it cannot claim
    long releasedAt = System.nanoTime();
    holder.close();
    child.kill9();
    try (Lease lease = next.get(10, TimeUnit.SECONDS)) {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - releasedAt);
      Figures.record(
          "hand-over, granted waiter frozen then kill -9, " + topology(),
          "next in " + millis + " ms");
      assertTrue(millis < BOUND_MS, "next waiter in " + millis + " ms, bound " + BOUND_MS);
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aWaiterFrozenPastItsDeadlineNeverHoldsAndDoesNotDelayTheNext() throws Exception {
    String key = "handover:frozen";
    Lease holder = hold(key);
    ChildJvm child = queuedChild(key, 1_000);
    Future<Lease> next = queuedHere(key);
    child.pause();
    Thread.sleep(1_500); // the freeze itself: past the child's deadline and its entry's lease
    long releasedAt = System.nanoTime();
    holder.close();
    try (Lease lease = next.get(10, TimeUnit.SECONDS)) {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - releasedAt);
      assertTrue(millis < BOUND_MS, "next waiter in " + millis + " ms, bound " + BOUND_MS);
      child.resume();
      assertEquals("", child.expect("BLOCKED", LONG), "the frozen waiter timed out");
      assertTrue(lease.isValid(), "the one holder kept the key");
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void waitersInThreeJvmsAreServedInArrivalOrder() throws Exception {
    String key = "handover:fifo";
    Lease holder = hold(key);
    List<ChildJvm> line = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      line.add(queuedChild(key, LONG.toMillis()));
    }
    holder.close();
    long last = holder.fencingToken();
    // each must get the key while the ones behind it wait: one that jumped the line would hold it
    // and the expected child would never print ACQUIRED
    for (ChildJvm child : line) {
      long token = Long.parseLong(child.expect("ACQUIRED", Duration.ofSeconds(10)));
      assertTrue(token > last, "tokens increase in arrival order");
      last = token;
      child.send("RELEASE");
      child.expect("RELEASED", Duration.ofSeconds(10));
    }
  }
}
