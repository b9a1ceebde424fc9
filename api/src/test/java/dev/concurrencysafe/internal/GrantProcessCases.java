package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.config.Config;

/**
 * The grant protocol's crash cases with real processes, on one server ({@link GrantProcessTest}) or
 * a 3-master Cluster ({@link GrantProcessClusterTest}): each waiter that crashes is a {@link
 * GrantWorker} JVM killed with SIGKILL or stopped with SIGSTOP. Timing: lease 450 ms (a beat every
 * 150 ms), claim 300 ms. The bounds asserted are the documented ones (docs/fleet-protocol.md) plus
 * a margin for this shared machine; the measured delays are printed. What is in Redis is checked
 * with raw commands on the key's master, independent of the client under test.
 */
abstract class GrantProcessCases {

  static final Duration STEP = Duration.ofSeconds(30);
  final List<GrantWorkerProcess> workers = new ArrayList<>();
  final List<GrantNode> nodes = new ArrayList<>();

  /** The masters, first to last: one, or three of a Cluster serving thirds of the slots. */
  abstract List<RedisServer> masters();

  /** Redisson configuration of a node in this JVM. */
  abstract Config config();

  /** The master serving {@code key}. */
  RedisServer masterOf(String key) {
    List<RedisServer> masters = masters();
    if (masters.size() == 1) {
      return masters.get(0);
    }
    int slot = Integer.parseInt(masters.get(0).command("CLUSTER", "KEYSLOT", key));
    return masters.get(slot * masters.size() / 16384);
  }

  /** {@code command} run on the master serving {@code key}. */
  String on(String key, String... command) {
    return masterOf(key).command(command);
  }

  String where() {
    return masters().get(0).serverVersion()
        + (masters().size() == 1 ? ", one server" : ", 3-master Cluster");
  }

  long keyCount() {
    return masters().stream().mapToLong(RedisServer::keyCount).sum();
  }

  String keys() {
    return masters().stream().map(m -> m.command("KEYS", "*")).toList().toString();
  }

  long published() {
    return masters().stream()
        .mapToLong(m -> m.commandCalls("publish") + m.commandCalls("spublish"))
        .sum();
  }

  long serverMs(String key) {
    String[] time = on(key, "TIME").split("\n");
    return Long.parseLong(time[0]) * 1000 + Long.parseLong(time[1]) / 1000;
  }

  @BeforeEach
  void flush() {
    for (RedisServer master : masters()) {
      master.command("FLUSHALL");
      master.command("CONFIG", "RESETSTAT");
    }
  }

  @AfterEach
  void stopEverything() {
    workers.forEach(GrantWorkerProcess::kill);
    nodes.forEach(GrantNode::close);
  }

  GrantNode node(String id) {
    GrantNode node = new GrantNode(Redisson.create(config()), id);
    node.leaseMs = 450;
    node.claimMs = 300;
    nodes.add(node);
    return node;
  }

  GrantWorkerProcess worker(String id) throws IOException, InterruptedException {
    String addresses = String.join(",", masters().stream().map(RedisServer::uri).toList());
    GrantWorkerProcess worker = new GrantWorkerProcess(id, addresses);
    workers.add(worker);
    worker.expect("ready");
    return worker;
  }

  /**
   * Queues {@code owner} of {@code node} (in this JVM) and waits for its grant on a thread; {@code
   * result} receives the token and the time it was held ({@link System#nanoTime}).
   */
  static long[] waitInThread(GrantNode node, String key, String owner, long[] result) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    assertTrue(node.acquire(key, owner, 10_000, 30_000) < 0, owner + " queued");
    Thread thread =
        new Thread(
            () -> {
              long token = node.await(key, owner, 10_000, deadline);
              synchronized (result) {
                result[0] = token;
                result[1] = System.nanoTime();
                result.notifyAll();
              }
            });
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  static long[] awaitResult(long[] result) throws InterruptedException {
    synchronized (result) {
      long end = System.nanoTime() + STEP.toNanos();
      while (result[1] == 0 && System.nanoTime() < end) {
        result.wait(1_000);
      }
    }
    assertTrue(result[0] > 0, "the surviving waiter got the key");
    return result;
  }

  @Test
  void aQueuedWaiterKilledCostsTheNextAtMostClaimPlusBeat() throws Exception {
    GrantNode t = node("t");
    GrantWorkerProcess dead = worker("w");
    t.acquire("q", t.owner(0), 10_000, 0);
    dead.send("acquire q w:1 30000 -1");
    dead.expect("queued w:1");
    long[] b = waitInThread(t, "q", t.owner(1), new long[2]);
    dead.kill();
    long released = System.nanoTime();
    assertEquals(2, t.release("q", t.owner(0), 0));
    assertEquals("w:1", on("{q}", "GET", "{q}"), "granted to the killed waiter, still live");
    awaitResult(b);
    long delayMs = (b[1] - released) / 1_000_000;
    System.out.printf(
        "[crash] %s: queued waiter kill -9: next waiter held after %d ms%n", where(), delayMs);
    assertEquals(t.owner(1), on("{q}", "GET", "{q}"));
    assertTrue(delayMs >= 300, "the dead waiter's grant ran its claim time: " + delayMs);
    assertTrue(delayMs < 1_000, "bounded by claim + beat (450 ms) + margin: " + delayMs);
  }

  @Test
  void aGrantedWaiterKilledBeforeItClaimsCostsTheNextAtMostClaimPlusBeat() throws Exception {
    GrantNode t = node("t");
    GrantWorkerProcess dead = worker("w");
    t.acquire("g", t.owner(0), 10_000, 0);
    dead.send("acquire g w:1 30000 -1");
    dead.expect("queued w:1");
    long[] b = waitInThread(t, "g", t.owner(1), new long[2]);
    dead.signal("STOP"); // it cannot claim
    long released = System.nanoTime();
    assertEquals(2, t.release("g", t.owner(0), 0));
    assertEquals("w:1", on("{g}", "GET", "{g}"), "granted to the stopped waiter");
    dead.kill();
    awaitResult(b);
    long delayMs = (b[1] - released) / 1_000_000;
    System.out.printf(
        "[crash] %s: granted waiter killed before its claim: next held after %d ms%n",
        where(), delayMs);
    assertTrue(delayMs >= 300, "not before the grant's claim time ran out: " + delayMs);
    assertTrue(delayMs < 1_000, "bounded by claim + beat (450 ms) + margin: " + delayMs);
  }

  @Test
  void aWaiterStoppedPastItsDeadlineNeverBecomesASecondHolder() throws Exception {
    GrantNode t = node("t");
    GrantWorkerProcess paused = worker("w");
    t.acquire("p", t.owner(0), 10_000, 0);
    paused.send("acquire p w:1 1000 -1");
    paused.expect("queued w:1");
    long[] b = waitInThread(t, "p", t.owner(1), new long[2]);
    paused.signal("STOP");
    long deadline = Long.parseLong(on("{p}", "HGET", "{p}:waiters", "w:1").split(" ")[1]);
    Await.until("the stopped waiter's deadline passed", STEP, () -> serverMs("{p}") > deadline);
    assertEquals(2, t.release("p", t.owner(0), 0));
    awaitResult(b);
    assertEquals(t.owner(1), on("{p}", "GET", "{p}"), "the stopped waiter was skipped");
    paused.signal("CONT");
    paused.expect("timeout w:1");
    assertEquals(t.owner(1), on("{p}", "GET", "{p}"), "still the one holder");
    assertTrue(
        paused.lines().stream().noneMatch(l -> l.startsWith("held")), paused.lines()::toString);
    assertEquals(1, t.release("p", t.owner(1), 0));
    assertEquals(0, keyCount(), this::keys);
  }

  @Test
  void waitersOfThreeJvmsAreGrantedInArrivalOrder() throws Exception {
    GrantNode t = node("t");
    t.acquire("fifo", t.owner(0), 10_000, 0);
    List<GrantWorkerProcess> fleet = List.of(worker("x"), worker("y"), worker("z"));
    for (GrantWorkerProcess w : fleet) {
      w.send("acquire fifo " + w.id + ":1 30000 20");
      w.expect("queued " + w.id + ":1");
    }
    assertEquals(2, t.release("fifo", t.owner(0), 0));
    long last = 0;
    for (GrantWorkerProcess w : fleet) {
      long token = Long.parseLong(w.expect("held " + w.id + ":1").split(" ")[2]);
      assertTrue(token > last, w.id + " served in arrival order: " + token + " after " + last);
      last = token;
      w.expect("released " + w.id + ":1");
    }
    assertEquals(0, keyCount(), this::keys);
  }

  @Test
  void threeJvmsOfEightThreadsOnOneHotKeyLoseNoUpdate() throws Exception {
    int rounds = 15;
    List<GrantWorkerProcess> fleet = List.of(worker("x"), worker("y"), worker("z"));
    for (GrantWorkerProcess w : fleet) {
      w.send("rmw hot 8 " + rounds);
    }
    for (GrantWorkerProcess w : fleet) {
      w.expect("rmw-done", Duration.ofSeconds(180));
    }
    assertEquals(Integer.toString(3 * 8 * rounds), on("hot-counter", "GET", "hot-counter"));
    assertEquals("0", on("{hot}", "EXISTS", "{hot}", "{hot}:queue", "{hot}:waiters"));
  }

  @Test
  void timeoutsCancellationsAndKilledWaitersLeaveNothing() throws Exception {
    GrantNode t = node("t");
    GrantWorkerProcess x = worker("x");
    GrantWorkerProcess y = worker("y");
    t.acquire("gone", t.owner(0), 10_000, 0);
    x.send("acquire gone x:1 400 -1");
    x.send("acquire gone x:2 30000 -1");
    y.send("acquire gone y:1 30000 -1");
    x.expect("queued x:1");
    x.expect("queued x:2");
    y.expect("queued y:1");
    x.send("cancel x:2");
    x.expect("cancelled x:2");
    x.expect("timeout x:1");
    y.kill();
    Await.until(
        "the killed waiter's entry expired with the queue keys",
        STEP,
        () -> on("{gone}", "EXISTS", "{gone}:queue", "{gone}:waiters").equals("0"));
    long published = published();
    assertEquals(1, t.release("gone", t.owner(0), 0), "nobody waits");
    assertEquals(published, published());
    assertEquals(0, keyCount(), this::keys);
  }
}
