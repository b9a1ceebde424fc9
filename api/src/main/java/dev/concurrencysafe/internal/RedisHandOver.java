package dev.concurrencysafe.internal;

import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.HandOver;
import dev.concurrencysafe.spi.LockBackend;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RScript;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The grant-on-release protocol for {@link RedissonBackend} (docs/fleet-protocol.md): waiters queue
 * next to the lock ({@link GrantProtocol}), a release hands the key to the first live one and
 * notifies only that waiter's node, on this node's own channel of the key ({@link GrantLayout}):
 * sharded pub/sub on Redis 7+ and Valkey, classic pub/sub on Redis 6.2.
 *
 * <p>Timing: a queued waiter must call again within {@link #BEAT_MS} (its refusal says so), which
 * keeps its entry live for {@link #LEASE_MS}; a waiter that stops calling (killed, paused) is
 * skipped once its entry has expired. A grant holds the key for {@link #CLAIM_MS}, within which the
 * waiter's node renews it to the full ttl (or claims it with its next ACQUIRE). So a waiter that
 * dies costs the others at most lease + claim + beat (900 ms), a grant it never used claim + beat
 * (450 ms).
 *
 * <p>Starting on the message: each queueing ACQUIRE carries the {@link System#nanoTime()} at which
 * it was sent as its mark; the waiter's entry keeps the mark of its latest call, and the grant
 * message echoes it with the hold it set. The grant was made after the script of that call ran, so
 * after the mark: the key is held for the waiter at least until mark + hold on this JVM's clock,
 * whatever the message's delay, and a message of an earlier grant can only prove a time already
 * past. No clocks are compared across machines. With {@code waitForReplicas} a hand-over is not
 * confirmed (no replica acknowledged the grant): the waiter claims it with an acknowledged ACQUIRE.
 *
 * <p>Channels: on a Cluster the grant channel must be in the key's slot, so a node listens on its
 * own channel of each key it waits for, while it waits ({@code {K}:granted:<node>}); Redisson's
 * subscription pool bounds how many keys one node can wait for at once there. Elsewhere (one
 * server, Sentinel, replicas) one channel per node serves every key ({@code
 * <prefix>concurrency-safe:granted:<node>}, one subscription however many keys are waited for): a
 * message names the owner, and the owner its key, which this class notes before the ACQUIRE that
 * may queue it and forgets once that owner holds the key or left the queue. There, the node listens
 * before it queues anybody, and a hand-over that finds no listener of its key yet (the waiter's
 * ACQUIRE reply is still on its way) is kept for the key's next listener ({@link
 * #keepsHandOvers()}): a waiter never needs to ask again after it starts listening.
 *
 * <p>Thread-safety: thread-safe.
 */
final class RedisHandOver {

  /** How long a queued waiter's entry stays live after its last call. */
  static final long LEASE_MS = 450;

  /** How often a queued waiter calls again: three calls per lease, so two may be lost or late. */
  static final long BEAT_MS = LEASE_MS / 3;

  /** How long a grant waits for its waiter's claim: a round trip plus a pause. */
  static final long CLAIM_MS = 300;

  private static final String LEASE = Long.toString(LEASE_MS);
  private static final String CLAIM = Long.toString(CLAIM_MS);

  private final RedissonClient client;
  private final RScript script;
  private final LuaCalls calls;
  private final String retention;
  private final String node;
  private final boolean confirms;

  /** Outside a Cluster: this node's one channel for every key, else null (one per key). */
  private final @Nullable String nodeChannel;

  /** Outside a Cluster: the key each queued owner waits for, and each key's listeners. */
  private final Map<String, String> keyOfOwner = new ConcurrentHashMap<>();

  private final ReleaseListeners<Consumer<HandOver>> listeners = new ReleaseListeners<>();

  /** Outside a Cluster: hand-overs that found no listener of their key yet, by owner. */
  private final Map<String, Unheard> unheard = new LinkedHashMap<>(); // guarded by this

  private record Unheard(String key, HandOver handOver) {}

  /** More kept hand-overs than waiters are likely: the oldest go (their waiters beat anyway). */
  private static final int UNHEARD_KEPT = 1024;

  /** Outside a Cluster: the node channel's name as Redis knows it (a NameMapper may rename it). */
  private final @Nullable String nodeChannelName;

  private volatile @Nullable CompletableFuture<Boolean> sharded;

  /** Outside a Cluster: the node's subscription, completed with what ends it. */
  private volatile @Nullable CompletableFuture<Runnable> nodeListening;

  RedisHandOver(
      RedissonClient client,
      RScript script,
      LuaCalls calls,
      String retentionMillis,
      String keyPrefix,
      boolean confirmsHandOvers) {
    this.client = client;
    this.confirms = confirmsHandOvers;
    this.script = script;
    this.calls = calls;
    this.retention = retentionMillis;
    byte[] id = new byte[9];
    new SecureRandom().nextBytes(id);
    this.node = HexFormat.of().formatHex(id);
    this.nodeChannel =
        client.getConfig().isClusterConfig()
            ? null
            : keyPrefix + "concurrency-safe:granted:" + node;
    this.nodeChannelName =
        nodeChannel == null
            ? null
            : client.getTopic(nodeChannel, StringCodec.INSTANCE).getChannelNames().get(0);
  }

  /** ACQUIRE's script and arguments; {@code queueMillis <= 0} never queues, so needs no channel. */
  CompletionStage<LuaCalls.Call> acquire(
      String key, String owner, long ttlMillis, long queueMillis) {
    if (queueMillis <= 0) {
      return CompletableFuture.completedFuture(
          acquire(key, owner, ttlMillis, 0, GrantLayout.CLASSIC, ""));
    }
    CompletableFuture<Boolean> ready;
    if (nodeChannel != null) {
      keyOfOwner.put(owner, key); // before the ACQUIRE: its grant may overtake the reply
      ready = nodeListening().thenCompose(listening -> sharded()); // so no grant goes unheard
    } else {
      ready = sharded();
    }
    return ready.thenApply(
        sharded ->
            acquire(
                key,
                owner,
                ttlMillis,
                queueMillis,
                sharded ? GrantLayout.SHARDED : GrantLayout.CLASSIC,
                nodeChannelName != null
                    ? nodeChannelName
                    : topic(key, sharded).getChannelNames().get(0)));
  }

  /** The call, marked with the instant it is made: no later than it is sent. */
  private LuaCalls.Call acquire(
      String key, String owner, long ttl, long queue, String mode, String channel) {
    return call(
        GrantProtocol.ACQUIRE,
        key,
        owner,
        Long.toString(ttl),
        retention,
        Long.toString(queue),
        LEASE,
        CLAIM,
        mode,
        channel,
        Long.toString(System.nanoTime()));
  }

  /** ACQUIRE's reply: a token, or a refusal saying when a queued caller must call again. */
  AcquireResult result(String owner, long reply, long queueMillis) {
    if (reply > 0) {
      keyOfOwner.remove(owner);
      return AcquireResult.acquired(reply);
    }
    long held = -1 - reply;
    return AcquireResult.heldFor(queueMillis > 0 ? Math.min(held, BEAT_MS) : held);
  }

  /** RELEASE: whether the key was the owner's (then freed or handed to the next waiter). */
  CompletionStage<Boolean> release(String key, String owner, long keepMillis) {
    keyOfOwner.remove(owner); // a hand-over used as it came left it noted
    return calls
        .eval(call(GrantProtocol.RELEASE, key, owner, Long.toString(keepMillis), retention, CLAIM))
        .thenApply(reply -> reply > 0);
  }

  CompletionStage<Void> leaveQueue(String key, String owner) {
    if (nodeChannel != null) {
      synchronized (this) { // with dispatch: nothing is kept for an owner that left
        keyOfOwner.remove(owner);
        unheard.remove(owner);
      }
    }
    return calls
        .eval(call(GrantProtocol.CANCEL, key, owner, retention, CLAIM))
        .thenApply(reply -> null);
  }

  CompletionStage<LockBackend.Subscription> subscribe(String key, Consumer<HandOver> handedTo) {
    if (nodeChannel != null) {
      LockBackend.Subscription subscription;
      List<HandOver> kept = new ArrayList<>();
      synchronized (this) { // with dispatch: a hand-over is either heard or kept for this listener
        subscription = listeners.add(key, handedTo);
        unheard.values().removeIf(u -> u.key().equals(key) && kept.add(u.handOver()));
      }
      kept.forEach(handedTo);
      return nodeListening()
          .<LockBackend.Subscription>thenApply(listening -> subscription)
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  subscription.close();
                }
              });
    }
    return sharded()
        .thenCompose(
            sharded -> {
              RTopic topic = topic(key, sharded);
              return topic
                  .addListenerAsync(
                      String.class,
                      (channel, message) -> handedTo.accept(handOverIn(message, confirms)))
                  .thenApply(
                      listener ->
                          (LockBackend.Subscription) () -> topic.removeListenerAsync(listener));
            });
  }

  private static LuaCalls.Call call(GrantProtocol lua, String key, Object... args) {
    return new LuaCalls.Call(lua.sha1, lua.source, GrantLayout.keys(key), args);
  }

  /**
   * A message is {@code "<owner> <fencing token> <server ms> <hold ms> <mark>"} ({@link
   * GrantLua#GRANT}); confirmed when the mark is one of this JVM's instants and hand-overs may be.
   */
  static HandOver handOverIn(String message, boolean confirms) {
    String[] parts = message.split(" ");
    if (confirms && parts.length == 5) {
      try {
        long token = Long.parseLong(parts[1]);
        long heldUntil =
            Long.parseLong(parts[4]) + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(parts[3]));
        if (token > 0) {
          return new HandOver(parts[0], token, heldUntil);
        }
      } catch (NumberFormatException notOurs) {
        // a mark this node did not send (another version, a test's): claim the key instead
      }
    }
    return HandOver.toClaim(parts[0]);
  }

  /**
   * Whether a hand-over always reaches its key's listener, even one added after it: outside a
   * Cluster.
   */
  boolean keepsHandOvers() {
    return nodeChannel != null;
  }

  /** Outside a Cluster: the node's one subscription, made once (again if it failed). */
  private CompletableFuture<Runnable> nodeListening() {
    CompletableFuture<Runnable> current = nodeListening;
    if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
      return current; // every waiting ACQUIRE asks: no lock once it listens
    }
    return listenOnNodeChannel();
  }

  private synchronized CompletableFuture<Runnable> listenOnNodeChannel() {
    CompletableFuture<Runnable> current = nodeListening;
    if (current == null || current.isCompletedExceptionally()) {
      current =
          sharded()
              .thenCompose(
                  sharded -> {
                    RTopic topic = topic("", sharded);
                    return topic
                        .addListenerAsync(
                            String.class,
                            (channel, message) -> dispatch(handOverIn(message, confirms)))
                        .thenApply(listener -> () -> topic.removeListenerAsync(listener));
                  });
      nodeListening = current;
    }
    return current;
  }

  private void dispatch(HandOver handOver) {
    // under the lock subscribe adds and drains with, and leaveQueue forgets with: a hand-over is
    // either heard or kept for the key's next listener (listeners only record it, nothing here
    // calls back into this class). The owner stays noted: a message of an earlier grant must not
    // make the next one unroutable; it is forgotten when the owner releases, leaves or claims.
    synchronized (this) {
      String key = keyOfOwner.get(handOver.owner());
      if (key == null) {
        return;
      }
      if (!listeners.each(key, handedTo -> handedTo.accept(handOver))) {
        unheard.put(handOver.owner(), new Unheard(key, handOver));
        if (unheard.size() > UNHEARD_KEPT) {
          unheard.remove(unheard.keySet().iterator().next());
        }
      }
    }
  }

  /** Stops listening on the node's channel (the backend is closing). */
  synchronized void close() {
    CompletableFuture<Runnable> current = nodeListening;
    if (current != null) {
      current.thenAccept(Runnable::run);
    }
    listeners.clear();
    keyOfOwner.clear();
    unheard.clear();
  }

  private RTopic topic(String key, boolean sharded) {
    String channel = nodeChannel != null ? nodeChannel : GrantLayout.grantChannel(key, node);
    return sharded
        ? client.getShardedTopic(channel, StringCodec.INSTANCE)
        : client.getTopic(channel, StringCodec.INSTANCE);
  }

  /**
   * Whether the server has sharded pub/sub (Redis 7+, Valkey), asked once; asked again if the
   * question failed (e.g. the store was down).
   */
  private CompletableFuture<Boolean> sharded() {
    CompletableFuture<Boolean> known = sharded;
    if (known != null && !known.isCompletedExceptionally()) {
      return known; // every waiting ACQUIRE asks: no lock once it is known
    }
    return askSharded();
  }

  private synchronized CompletableFuture<Boolean> askSharded() {
    CompletableFuture<Boolean> known = sharded;
    if (known == null || known.isCompletedExceptionally()) {
      known =
          script
              .<Long>evalAsync(
                  RScript.Mode.READ_ONLY,
                  "return redis.REDIS_VERSION_NUM or 0",
                  RScript.ReturnType.LONG,
                  List.of())
              .toCompletableFuture()
              .<Boolean>thenApply(version -> version >= 0x070000)
              .exceptionallyCompose(
                  error -> CompletableFuture.failedFuture(StoreReplies.classify(error)));
      sharded = known;
    }
    return known;
  }
}
