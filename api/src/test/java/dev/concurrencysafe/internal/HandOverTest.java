package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;

/**
 * The engine on the grant-on-release protocol ({@code LockManagerBuilder.handOver(true)}), against
 * a real server (Redis 7, Valkey 8 or 6.2, whichever the build chose), with three application
 * nodes: each its own Redisson client and manager. Waiters queue in Redis, a release hands the key
 * to the first of them across nodes, nothing is published when nobody waits, and a waiter that
 * gives up leaves nothing behind.
 */
class HandOverTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();

  private static final String KEY = "coupon:42";
  private static final Duration LONG_WAIT = Duration.ofSeconds(20);

  private final List<RedissonClient> clients = new ArrayList<>();
  private final List<LockManager> nodes = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeEach
  void startNodes() {
    for (int i = 0; i < 3; i++) {
      RedissonClient client = SkipWhenBusyTest.client(redis.uri());
      clients.add(client);
      nodes.add(LockManager.builder().handOver(true).redisson(client));
    }
  }

  @AfterEach
  void stopNodes() throws InterruptedException {
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS), "waiting threads ended");
    nodes.forEach(LockManager::close);
    clients.forEach(RedissonClient::shutdown);
  }

  private static String queue() {
    return (String) GrantLayout.keys(KEY).get(2);
  }

  private static long queued() {
    return Long.parseLong(redis.command("ZCARD", queue()).trim());
  }

  private static long grantMessages() {
    return redis.server().commandCalls("publish") + redis.server().commandCalls("spublish");
  }

  @Test
  void waitersQueueInRedisAndAreServedInArrivalOrderAcrossNodes() throws Exception {
    List<String> served = new CopyOnWriteArrayList<>();
    List<Long> tokens = new CopyOnWriteArrayList<>();
    Lease holder = nodes.get(0).with(KEY).acquire();
    List<Future<?>> waiters = new ArrayList<>();
    int[] nodeOfWaiter = {1, 2, 1, 2};
    for (int i = 0; i < nodeOfWaiter.length; i++) {
      String name = "waiter " + i + " on node " + nodeOfWaiter[i];
      LockManager node = nodes.get(nodeOfWaiter[i]);
      waiters.add(
          threads.submit(
              () -> {
                try (Lease lease = node.with(KEY).waitTimeout(LONG_WAIT).acquire()) {
                  served.add(name);
                  tokens.add(lease.fencingToken());
                }
              }));
      int arrived = i + 1;
      Await.until(arrived + " waiter(s) queued in Redis", LONG_WAIT, () -> queued() == arrived);
    }
    long messagesBefore = grantMessages();
    holder.close();
    for (Future<?> waiter : waiters) {
      waiter.get(30, TimeUnit.SECONDS);
    }
    assertEquals(
        List.of(
            "waiter 0 on node 1", "waiter 1 on node 2", "waiter 2 on node 1", "waiter 3 on node 2"),
        served,
        "FIFO across nodes");
    for (int i = 1; i < tokens.size(); i++) {
      assertTrue(tokens.get(i) > tokens.get(i - 1), "fencing tokens increase: " + tokens);
    }
    assertEquals(4, grantMessages() - messagesBefore, "one grant message per hand-over");
    Await.until("nothing left in Redis", LONG_WAIT, () -> redis.keyCount() == 0);
  }

  @Test
  void aReleaseNobodyWaitsForPublishesNothing() {
    long before = grantMessages();
    for (int i = 0; i < 20; i++) {
      nodes.get(i % 3).with("free:" + i).waitTimeout(LONG_WAIT).run(() -> {});
    }
    assertEquals(before, grantMessages(), "no message without a waiter");
    assertEquals(0, redis.keyCount(), "nothing left in Redis");
  }

  @Test
  void waitersThatTimeOutOrAreCancelledLeaveNothingInRedis() throws Exception {
    Lease holder = nodes.get(0).with(KEY).ttl(Duration.ofSeconds(30)).acquire();
    CompletableFuture<Lease> cancelled =
        nodes.get(1).with(KEY).waitTimeout(LONG_WAIT).acquireAsync().toCompletableFuture();
    Await.until("the async waiter queued", LONG_WAIT, () -> queued() == 1);
    Future<?> timedOut =
        threads.submit(
            () ->
                assertThrows(
                    ConcurrencyException.class,
                    () -> nodes.get(2).with(KEY).waitTimeout(Duration.ofMillis(400)).acquire()));
    Await.until("the blocking waiter queued", LONG_WAIT, () -> queued() == 2);
    assertTrue(cancelled.cancel(true));
    timedOut.get(30, TimeUnit.SECONDS);
    Await.until(
        "the queue is gone", LONG_WAIT, () -> "0".equals(redis.command("EXISTS", queue()).trim()));
    long before = grantMessages();
    holder.close();
    assertEquals(before, grantMessages(), "nobody is waiting any more: no message");
    assertEquals(0, redis.keyCount(), "nothing left in Redis");
  }

  @Test
  void anAsyncWaiterIsHandedTheKeyWithoutAParkedThread() throws Exception {
    Lease holder = nodes.get(0).with(KEY).ttl(Duration.ofSeconds(30)).acquire();
    CompletableFuture<Lease> waiting =
        nodes.get(1).with(KEY).waitTimeout(LONG_WAIT).acquireAsync().toCompletableFuture();
    Await.until("the async waiter queued", LONG_WAIT, () -> queued() == 1);
    long heldToken = holder.fencingToken();
    holder.close();
    // handed over by the release, long before the 30 s ttl or the 20 s wait would end it
    Lease lease = waiting.get(10, TimeUnit.SECONDS);
    assertTrue(lease.fencingToken() > heldToken);
    assertTrue(lease.isValid());
    lease.close();
    assertEquals(0, redis.keyCount());
  }

  @Test
  void outsideAClusterANodeListensOnOneChannelHoweverManyKeysItWaitsFor() throws Exception {
    List<Lease> held = new ArrayList<>();
    List<CompletableFuture<Lease>> waiting = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      String key = "many:" + k;
      held.add(nodes.get(0).with(key).ttl(Duration.ofSeconds(30)).acquire());
      waiting.add(
          nodes.get(1).with(key).waitTimeout(LONG_WAIT).acquireAsync().toCompletableFuture());
      String queue = (String) GrantLayout.keys(key).get(2);
      Await.until(
          key + " queued", LONG_WAIT, () -> "1".equals(redis.command("ZCARD", queue).trim()));
    }
    boolean sharded = GrantNode.SHARDED;
    String channels =
        redis.command("PUBSUB", sharded ? "SHARDCHANNELS" : "CHANNELS", "*granted*").trim();
    assertEquals(1, channels.lines().filter(line -> !line.isBlank()).count(), channels);
    for (int k = 0; k < 3; k++) {
      held.get(k).close();
      waiting.get(k).get(10, TimeUnit.SECONDS).close();
    }
    assertEquals(0, redis.keyCount());
  }

  @Test
  void aWaiterHandedTheKeyStartsWithoutAnotherCallAndRenewsItToItsTtl() throws Exception {
    ControllableBackend store =
        new ControllableBackend(
            LockManager.builder().handOver(true).redissonBackend(clients.get(1)));
    String lock = (String) GrantLayout.keys(KEY).get(0);
    try (LockManager counted = LockManager.builder().backend(store)) {
      for (boolean async : new boolean[] {false, true}) {
        Lease holder = nodes.get(0).with(KEY).ttl(Duration.ofSeconds(30)).acquire();
        var spec = counted.with(KEY).ttl(Duration.ofSeconds(20)).waitTimeout(LONG_WAIT);
        CompletableFuture<Lease> waiter =
            async
                ? spec.acquireAsync().toCompletableFuture()
                : CompletableFuture.supplyAsync(spec::acquire, threads);
        Await.until("the waiter queued", LONG_WAIT, () -> queued() == 1);
        // release right after one of its beats (every 150 ms): none is due during the hand-over
        int answered = store.acquireReplies.get();
        Await.until("a beat", LONG_WAIT, () -> store.acquireReplies.get() > answered);
        int calls = store.acquireAttempts.get();
        holder.close();
        try (Lease lease = waiter.get(10, TimeUnit.SECONDS)) {
          String mode = async ? "async: " : "blocking: ";
          assertEquals(calls, store.acquireAttempts.get(), mode + "no ACQUIRE after the hand-over");
          assertTrue(lease.fencingToken() > holder.fencingToken(), mode + "a newer token");
          assertTrue(lease.isValid(), mode + "valid");
          // the grant held the key for the claim time only: the lease renews it to its ttl
          Await.until(
              mode + "renewed to its ttl",
              LONG_WAIT,
              () -> Long.parseLong(redis.command("PTTL", lock).trim()) > 10_000);
        }
      }
    }
    assertEquals(0, redis.keyCount());
  }

  @Test
  void outsideAClusterAHandOverThatFindsNoListenerIsKeptForTheKeysNextListener() throws Exception {
    // the waiter's ACQUIRE reply can lose the race to its grant message: the waiter only starts
    // listening for its key after the reply, and must not need to ask again
    var backend = LockManager.builder().handOver(true).redissonBackend(clients.get(1));
    try (backend) {
      assertTrue(backend.keepsHandOvers());
      CompletableFuture<dev.concurrencysafe.spi.HandOver> marker = new CompletableFuture<>();
      try (var markerListening =
          backend.subscribeHandOvers("marker", marker::complete).toCompletableFuture().get()) {
        for (String key : List.of(KEY, "marker")) {
          assertTrue(
              backend.tryAcquire(key, "holder", 30_000).toCompletableFuture().get().acquired());
          assertTrue(
              !backend
                  .tryAcquire(key, "waiter:" + key, 30_000, 20_000)
                  .toCompletableFuture()
                  .get()
                  .acquired());
          assertTrue(backend.release(key, "holder", 0).toCompletableFuture().get());
        }
        // one channel per node, delivered in order: the marker's hand-over came after KEY's
        assertEquals("waiter:marker", marker.get(10, TimeUnit.SECONDS).owner());
      }
      CompletableFuture<dev.concurrencysafe.spi.HandOver> kept = new CompletableFuture<>();
      try (var listening =
          backend.subscribeHandOvers(KEY, kept::complete).toCompletableFuture().get()) {
        dev.concurrencysafe.spi.HandOver handOver = kept.get(10, TimeUnit.SECONDS);
        assertEquals("waiter:" + KEY, handOver.owner());
        assertTrue(handOver.confirmed(), "with the mark its queueing call sent");
      }
      for (String key : List.of(KEY, "marker")) {
        assertTrue(backend.release(key, "waiter:" + key, 0).toCompletableFuture().get());
      }
    }
    assertEquals(0, redis.keyCount());
  }

  @Test
  void aWaiterWhoseQueueingReplyIsLostLeavesTheQueue() throws Exception {
    ControllableBackend store =
        new ControllableBackend(
            LockManager.builder().handOver(true).redissonBackend(clients.get(1)));
    store.loseQueuedReplies = true;
    try (LockManager lossy = LockManager.builder().backend(store)) {
      try (Lease holder = nodes.get(0).with(KEY).ttl(Duration.ofSeconds(30)).acquire()) {
        assertThrows(
            dev.concurrencysafe.LockUnavailableException.class,
            () -> lossy.with(KEY).waitTimeout(LONG_WAIT).acquire());
        // the ACQUIRE queued it in Redis, but its caller never heard: it must still leave
        Await.until("the lost waiter left the queue", LONG_WAIT, () -> store.queuesLeft.get() > 0);
        Await.until("its entry is gone", LONG_WAIT, () -> queued() == 0);
        assertTrue(holder.isValid());
      }
    }
    assertEquals(0, redis.keyCount());
  }

  @Test
  void holdersNeverOverlapAcrossNodes() throws Exception {
    // a non-atomic read-modify-write of a Redis counter in the body: an overlap loses an update
    RedissonClient counterClient = clients.get(0);
    var counter =
        counterClient.getBucket("counter", org.redisson.client.codec.StringCodec.INSTANCE);
    counter.set("0");
    int rounds = 15;
    List<Future<?>> workers = new ArrayList<>();
    for (LockManager node : nodes) {
      for (int t = 0; t < 4; t++) {
        workers.add(
            threads.submit(
                () -> {
                  for (int r = 0; r < rounds; r++) {
                    node.with(KEY)
                        .waitTimeout(Duration.ofSeconds(60))
                        .run(
                            () -> {
                              long seen = Long.parseLong((String) counter.get());
                              Thread.yield();
                              counter.set(Long.toString(seen + 1));
                            });
                  }
                }));
      }
    }
    for (Future<?> worker : workers) {
      worker.get(120, TimeUnit.SECONDS);
    }
    assertEquals(Long.toString(3L * 4 * rounds), counter.get(), "no lost update");
    counter.delete();
    assertEquals(0, redis.keyCount(), "nothing left in Redis");
  }
}
