package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The grant-on-release scripts against a real server, driven from several clients ("nodes") with
 * raw script calls: FIFO, no barging, grants, crash recovery by server time, nothing left behind.
 */
class GrantProtocolTest {

  static RedisServer redis;
  final List<GrantNode> nodes = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void flush() {
    redis.command("FLUSHALL");
    redis.command("CONFIG", "RESETSTAT");
  }

  @AfterEach
  void closeNodes() {
    nodes.forEach(GrantNode::close);
  }

  GrantNode node(String id) {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.uri());
    GrantNode node = new GrantNode(Redisson.create(config), id);
    nodes.add(node);
    return node;
  }

  long published() {
    return redis.commandCalls("publish") + redis.commandCalls("spublish");
  }

  /** A node's waiter after a queued ACQUIRE ({@link GrantNode#await}); -1 past the wait. */
  static long awaitGrant(GrantNode node, String key, String owner, long ttlMs, Duration wait) {
    return node.await(key, owner, ttlMs, System.nanoTime() + wait.toNanos());
  }

  @Test
  void aNodeIdThatWouldChangeTheSlotIsRefused() {
    var error =
        assertThrows(IllegalArgumentException.class, () -> GrantLayout.grantChannel("k", "x}y"));
    assertTrue(error.getMessage().contains("'x}y'"), error.getMessage());
    assertEquals("{k}:granted:n1", GrantLayout.grantChannel("k", "n1"));
  }

  @Test
  void uncontendedCyclesPublishNothingAndLeaveNothing() {
    GrantNode a = node("a");
    long last = 0;
    for (int i = 0; i < 200; i++) {
      String key = "k" + (i % 7);
      long token = a.acquire(key, a.owner(i), 10_000, 0);
      assertTrue(token > last, "fencing token " + token + " after " + last);
      last = token;
      assertEquals(1, a.release(key, a.owner(i), 0));
    }
    assertEquals(0, published(), "no message when nobody waits");
    assertEquals(0, redis.keyCount(), redis.command("KEYS", "*"));
  }

  @Test
  void waitersAcrossNodesAreGrantedInArrivalOrderWithIncreasingTokens() throws Exception {
    List<GrantNode> fleet = List.of(node("a"), node("b"), node("c"));
    GrantNode holderNode = fleet.get(0);
    String holder = holderNode.owner(0);
    long first = holderNode.acquire("fifo", holder, 10_000, 0);
    assertTrue(first > 0);
    List<String> arrival = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      GrantNode n = fleet.get(i % 3);
      String owner = n.owner(i);
      assertTrue(n.acquire("fifo", owner, 10_000, 30_000) < 0, "queued behind the holder");
      arrival.add(owner);
    }
    List<String> served = new ArrayList<>();
    long last = first;
    String current = holder;
    GrantNode currentNode = holderNode;
    for (String next : arrival) {
      assertEquals(2, currentNode.release("fifo", current, 0), "handed to a waiter");
      GrantNode nextNode = fleet.get(Integer.parseInt(next.substring(next.indexOf(':') + 1)) % 3);
      long token = nextNode.grantOf(next).get(5, TimeUnit.SECONDS);
      assertEquals(token, nextNode.claim("fifo", next, 10_000));
      assertTrue(token > last, "token " + token + " after " + last);
      served.add(next);
      for (GrantNode other : fleet) {
        if (other != nextNode) {
          assertFalse(other.grantOf(next).isDone(), "only the grantee's node is told");
        }
      }
      last = token;
      current = next;
      currentNode = nextNode;
    }
    assertEquals(arrival, served);
    assertEquals(1, currentNode.release("fifo", current, 0));
    assertEquals(0, redis.keyCount(), redis.command("KEYS", "*"));
  }

  @Test
  void aNewcomerCannotTakeAKeyBeingHandedOverNorQueueWhenSkipping() throws Exception {
    GrantNode a = node("a");
    GrantNode b = node("b");
    GrantNode c = node("c");
    a.acquire("barge", a.owner(1), 10_000, 0);
    assertTrue(b.acquire("barge", b.owner(1), 10_000, 30_000) < 0);
    long before = b.refresh("barge").get(0);
    assertEquals(2, a.release("barge", a.owner(1), 0));
    long after = b.refresh("barge").get(0);
    // granted, not yet claimed: held for the grantee
    long refused = c.acquire("barge", c.owner(1), 10_000, 0);
    assertTrue(refused < 0 && -1 - refused <= a.claimMs, "held for the claim time: " + refused);
    assertEquals("0", redis.command("EXISTS", "{barge}:queue"), "skip-when-busy does not queue");
    assertEquals(b.owner(1), redis.command("GET", "{barge}"));
    long token = b.grantOf(b.owner(1)).get(5, TimeUnit.SECONDS);
    long grantedAt = b.grantServerMs.get(b.owner(1));
    assertTrue(
        before <= grantedAt && grantedAt <= after,
        "the message carries the grant's server time: "
            + before
            + " <= "
            + grantedAt
            + " <= "
            + after);
    assertEquals(token, b.claim("barge", b.owner(1), 10_000));
  }

  @Test
  void aFreeKeyWithALiveWaiterAheadIsGrantedToThatWaiterNotTakenByTheCaller() throws Exception {
    GrantNode a = node("a");
    GrantNode b = node("b");
    a.claimMs = 100;
    b.claimMs = 100;
    a.acquire("ahead", a.owner(1), 10_000, 0);
    assertTrue(b.acquire("ahead", b.owner(1), 10_000, 30_000) < 0);
    assertTrue(b.acquire("ahead", b.owner(2), 10_000, 30_000) < 0);
    a.release("ahead", a.owner(1), 0);
    // b:1's grant expires unclaimed (its waiter is gone): b:2 is next, and a newcomer is not
    Await.until(
        "the unclaimed grant expired",
        Duration.ofSeconds(5),
        () -> redis.command("EXISTS", "{ahead}").equals("0"));
    long newcomer = a.acquire("ahead", a.owner(2), 10_000, 0);
    assertTrue(newcomer < 0, "refused, the key was handed to the next waiter: " + newcomer);
    assertEquals(b.owner(2), redis.command("GET", "{ahead}"));
    assertTrue(b.grantOf(b.owner(2)).get(5, TimeUnit.SECONDS) > 0);
  }

  @Test
  void aGrantNotClaimedGoesToTheNextLiveWaiterWithinClaimTimePlusOneBeat() throws Exception {
    GrantNode dead = node("dead");
    GrantNode alive = node("alive");
    for (GrantNode n : List.of(dead, alive)) {
      n.claimMs = 300;
      n.leaseMs = 600;
    }
    alive.acquire("claim", alive.owner(0), 10_000, 0);
    assertTrue(dead.acquire("claim", dead.owner(1), 10_000, 30_000) < 0);
    assertTrue(alive.acquire("claim", alive.owner(2), 10_000, 30_000) < 0);
    long released = System.nanoTime();
    assertEquals(2, alive.release("claim", alive.owner(0), 0));
    long token = awaitGrant(alive, "claim", alive.owner(2), 10_000, Duration.ofSeconds(5));
    long tookMs = (System.nanoTime() - released) / 1_000_000;
    assertTrue(token > 0);
    assertTrue(tookMs >= 300, "not before the claim time ran out: " + tookMs + " ms");
    assertTrue(tookMs < 1_000, "recovered within the 1 s bound: " + tookMs + " ms");
    assertEquals(0, dead.claim("claim", dead.owner(1), 10_000), "the late claim is refused");
  }

  /**
   * How a CLAIM answers 0 right after a grant message: the message was of a grant that expired
   * unclaimed, and the waiter has queued again since (a beat answered 0, it re-ACQUIREd). Correct
   * behaviour: the claim touches nothing, the waiter keeps its new place, and its next grant's
   * claim succeeds; a claim prompted by a stale message while a newer grant is live returns the
   * newer token. So a node takes CLAIM's reply, never the message, as the token.
   */
  @Test
  void aClaimPromptedByAStaleGrantMessageAnswersZeroAndTheWaiterKeepsItsPlace() throws Exception {
    GrantNode a = node("a");
    GrantNode b = node("b");
    a.claimMs = 150;
    String x = b.owner(1);
    a.acquire("stale", a.owner(0), 10_000, 0);
    assertTrue(b.acquire("stale", x, 10_000, 30_000) < 0);
    assertEquals(2, a.release("stale", a.owner(0), 0));
    long first = b.grantOf(x).get(5, TimeUnit.SECONDS); // the message arrived; no claim (a stall)
    Await.until(
        "the grant expired unclaimed",
        Duration.ofSeconds(5),
        () -> redis.command("EXISTS", "{stale}").equals("0"));
    long retaken = a.acquire("stale", a.owner(2), 10_000, 0);
    assertTrue(retaken > first, "free, nobody queued: taken with a newer token " + retaken);
    List<Long> beat = b.refresh("stale", x);
    assertEquals(0L, beat.get(0), "x's grant expired: gone");
    assertTrue(b.grantServerMs.get(x) < beat.get(1), "the message predates the beat's 0");
    assertTrue(b.acquire("stale", x, 10_000, 30_000) < 0, "queued again");
    assertEquals(0, b.claim("stale", x, 10_000), "the stale message's claim is refused");
    assertEquals(a.owner(2), redis.command("GET", "{stale}"), "and the holder untouched");
    assertEquals("1", redis.command("ZCARD", "{stale}:queue"), "x keeps its place");
    assertEquals(2, a.release("stale", a.owner(2), 0));
    long claimed = b.claim("stale", x, 10_000); // prompted by the same stale message
    assertTrue(claimed > retaken, "the live grant's token, not the message's: " + claimed);
    assertEquals(1, b.release("stale", x, 0));
    assertEquals(0, redis.keyCount(), redis.command("KEYS", "*"));
  }

  @Test
  void aDeadQueuedWaiterIsSkippedOnceItsLeaseRanOut() throws Exception {
    GrantNode dead = node("dead");
    GrantNode alive = node("alive");
    dead.leaseMs = 200;
    alive.acquire("skip", alive.owner(0), 10_000, 0);
    assertTrue(dead.acquire("skip", dead.owner(1), 10_000, 30_000) < 0);
    assertTrue(alive.acquire("skip", alive.owner(2), 10_000, 30_000) < 0);
    Await.until(
        "the dead waiter's lease ran out by server time",
        Duration.ofSeconds(5),
        () -> {
          String entry = redis.command("HGET", "{skip}:waiters", dead.owner(1));
          long liveUntil = Long.parseLong(entry.split(" ")[0]);
          String[] time = redis.command("TIME").split("\n");
          return Long.parseLong(time[0]) * 1000 + Long.parseLong(time[1]) / 1000 >= liveUntil;
        });
    assertEquals(2, alive.release("skip", alive.owner(0), 0));
    assertEquals(alive.owner(2), redis.command("GET", "{skip}"), "granted past the dead entry");
    assertTrue(alive.grantOf(alive.owner(2)).get(5, TimeUnit.SECONDS) > 0);
    assertFalse(dead.grantOf(dead.owner(1)).isDone());
    assertEquals("0", redis.command("EXISTS", "{skip}:queue"));
    assertEquals("0", redis.command("EXISTS", "{skip}:waiters"));
  }

  @Test
  void timeoutsCancellationsAndDeadWaitersLeaveNothingAndNoRelease() throws Exception {
    GrantNode a = node("a");
    GrantNode b = node("b");
    b.leaseMs = 150;
    a.acquire("gone", a.owner(0), 10_000, 0);
    for (int i = 1; i <= 6; i++) {
      assertTrue(b.acquire("gone", b.owner(i), 10_000, 30_000) < 0);
    }
    assertEquals(1, b.cancel("gone", b.owner(1)));
    assertEquals(1, b.cancel("gone", b.owner(2)));
    // a last attempt at the deadline (wait 0) leaves the queue
    assertTrue(b.acquire("gone", b.owner(3), 10_000, 0) < 0);
    assertEquals("3", redis.command("ZCARD", "{gone}:queue"));
    // the others die: their entries and the queue keys expire by themselves
    Await.until(
        "the dead waiters' queue expired",
        Duration.ofSeconds(5),
        () -> redis.command("EXISTS", "{gone}:queue", "{gone}:waiters").equals("0"));
    long before = published();
    assertEquals(1, a.release("gone", a.owner(0), 0));
    assertEquals(before, published(), "nobody waits: no message");
    assertEquals(0, redis.keyCount(), redis.command("KEYS", "*"));
  }

  @Test
  void aPublishTheServerRefusesDoesNotFailTheRelease() {
    GrantNode a = node("a");
    a.acquire("refused", a.owner(0), 10_000, 0);
    // on 6.2 SPUBLISH is an unknown command; on 7+ this is an ordinary grant without a listener
    assertTrue(
        a.acquire("refused", a.owner(1), 10_000, 30_000, GrantLayout.SHARDED, a.channel("refused"))
            < 0);
    assertEquals(2, a.release("refused", a.owner(0), 0), "released and granted, not an error");
    assertEquals(2L, a.refresh("refused", a.owner(1)).get(0), "the grantee's beat finds its grant");
  }

  @Test
  void aWaiterCancellingAfterItWasGrantedHandsTheKeyOn() throws Exception {
    GrantNode a = node("a");
    a.acquire("race", a.owner(0), 10_000, 0);
    a.acquire("race", a.owner(1), 10_000, 30_000);
    a.acquire("race", a.owner(2), 10_000, 30_000);
    assertEquals(2, a.release("race", a.owner(0), 0));
    assertEquals(2, a.cancel("race", a.owner(1)), "it held a grant, now passed on");
    assertTrue(a.grantOf(a.owner(2)).get(5, TimeUnit.SECONDS) > 0);
    assertEquals(a.owner(2), redis.command("GET", "{race}"));
  }

  @Test
  void cooldownKeepsTheKeyHeldAndTheQueueWaitsForIt() throws Exception {
    GrantNode a = node("a");
    GrantNode b = node("b");
    b.leaseMs = 3_000;
    a.acquire("cool", a.owner(0), 10_000, 0);
    assertTrue(b.acquire("cool", b.owner(1), 10_000, 30_000) < 0);
    assertEquals(1, a.release("cool", a.owner(0), 400), "kept for the cooldown");
    assertEquals("cooldown:" + a.owner(0), redis.command("GET", "{cool}"));
    long refused = a.acquire("cool", a.owner(2), 10_000, 0);
    assertTrue(refused < 0 && -1 - refused <= 400, "refused for the cooldown left: " + refused);
    assertFalse(b.grantOf(b.owner(1)).isDone());
    Await.until(
        "the cooldown ran out",
        Duration.ofSeconds(5),
        () -> redis.command("EXISTS", "{cool}").equals("0"));
    assertEquals(2L, b.refresh("cool", b.owner(1)).get(0), "the next beat hands it over");
    assertTrue(b.grantOf(b.owner(1)).get(5, TimeUnit.SECONDS) > 0);
  }

  @Test
  void theCurrentProtocolSeesAGrantAsHeldAndNeverGivesTwoHolders() throws Exception {
    GrantNode a = node("a");
    GrantNode b = node("b");
    RScript old = a.client.getScript(StringCodec.INSTANCE);
    a.acquire("mixed", a.owner(0), 10_000, 0);
    assertTrue(b.acquire("mixed", b.owner(1), 10_000, 30_000) < 0);
    assertTrue(oldAcquire(old, "mixed", "old:1") < 0, "held by the new protocol");
    assertEquals(2, a.release("mixed", a.owner(0), 0));
    assertTrue(oldAcquire(old, "mixed", "old:1") < 0, "a grant is held too");
    long granted = b.grantOf(b.owner(1)).get(5, TimeUnit.SECONDS);
    assertEquals(granted, b.claim("mixed", b.owner(1), 10_000));
    assertEquals(1, b.release("mixed", b.owner(1), 0));
    long oldToken = oldAcquire(old, "mixed", "old:2");
    assertTrue(oldToken > granted, "one fencing counter for both: " + oldToken + " > " + granted);
    assertTrue(b.acquire("mixed", b.owner(3), 10_000, 0) < 0, "held by the old protocol");
  }

  private static long oldAcquire(RScript script, String key, String owner) {
    String lock = "{" + key + "}";
    Long reply =
        script.eval(
            RScript.Mode.READ_WRITE,
            RedisScripts.ACQUIRE.source,
            RScript.ReturnType.LONG,
            List.of(lock, lock + ":fence"),
            owner,
            "10000",
            "0");
    return reply;
  }

  @Test
  void readModifyWriteThroughGrantsLosesNoUpdateAndTokensIncreaseInOrder() throws Exception {
    int nodesCount = 3;
    int threads = 4;
    int rounds = 40;
    List<GrantNode> fleet = new ArrayList<>();
    for (int n = 0; n < nodesCount; n++) {
      GrantNode node = node("n" + n);
      node.leaseMs = 600;
      fleet.add(node);
    }
    RedissonClient reader = fleet.get(0).client;
    List<Long> tokens = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(nodesCount * threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < nodesCount * threads; w++) {
        GrantNode node = fleet.get(w % nodesCount);
        int worker = w;
        workers.add(
            pool.submit(
                () -> {
                  for (int r = 0; r < rounds; r++) {
                    String owner = node.owner(worker * 1000 + r);
                    long token = node.acquire("rmw", owner, 10_000, 30_000);
                    if (token < 0) {
                      token = awaitGrant(node, "rmw", owner, 10_000, Duration.ofSeconds(30));
                    }
                    assertTrue(token > 0, "no grant within 30 s");
                    // non-atomic read-modify-write: two holders at once lose an update
                    var counter = reader.<String>getBucket("rmw-counter", StringCodec.INSTANCE);
                    String value = counter.get();
                    tokens.add(token);
                    counter.set(Long.toString((value == null ? 0 : Long.parseLong(value)) + 1));
                    assertTrue(node.release("rmw", owner, 0) > 0, "released by its owner");
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int total = nodesCount * threads * rounds;
    assertEquals(Integer.toString(total), redis.command("GET", "rmw-counter"), "lost updates");
    long scripts = redis.commandCalls("evalsha") + redis.commandCalls("eval");
    long messages = published();
    System.out.printf(
        "[cost] hot key, %d nodes x %d threads, %d bodies on %s: %.2f script calls"
            + " and %.2f grant messages per body%n",
        nodesCount,
        threads,
        total,
        redis.serverVersion(),
        scripts / (double) total,
        messages / (double) total);
    assertTrue(messages <= total, "at most one message per body: " + messages);
    for (int i = 1; i < tokens.size(); i++) {
      assertTrue(tokens.get(i) > tokens.get(i - 1), "tokens in holding order at " + i);
    }
    assertEquals(
        "0", redis.command("EXISTS", "{rmw}", "{rmw}:queue", "{rmw}:waiters", "{rmw}:fence"));
  }
}
