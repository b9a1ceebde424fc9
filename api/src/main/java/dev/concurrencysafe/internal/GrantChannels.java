package dev.concurrencysafe.internal;

import dev.concurrencysafe.spi.HandOver;
import dev.concurrencysafe.spi.LockBackend;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RScript;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Where this node hears the grants of the grant-on-release protocol ({@link RedisHandOver}), and
 * how a grant message becomes a {@link HandOver}.
 *
 * <p>On a Cluster the grant channel must be in the key's slot, so a node listens on its own channel
 * of each key it waits for, while it waits ({@code {K}:granted:<node>}); Redisson's subscription
 * pool bounds how many keys one node can wait for at once there. Elsewhere (one server, Sentinel,
 * replicas) one channel per node serves every key ({@code <prefix>concurrency-safe:granted:<node>},
 * one subscription however many keys are waited for): a message names the owner, and the owner its
 * key, which this class notes before the ACQUIRE that may queue it and forgets once that owner
 * releases, claims or leaves. There the node listens before it queues anybody, and a hand-over that
 * finds no listener of its key yet (the waiter's ACQUIRE reply is still on its way) is kept for the
 * key's next listener ({@link #keepsHandOvers()}): a waiter never needs to ask again once it
 * listens. Sharded pub/sub on Redis 7+ and Valkey, classic on Redis 6.2.
 *
 * <p>Thread-safety: thread-safe.
 */
final class GrantChannels {

  /** Where a grant must be published: the mode ({@link GrantLayout}) and the channel's name. */
  record Channel(String mode, String name) {}

  private record Unheard(String key, HandOver handOver) {}

  /** More kept hand-overs than waiters are likely: the oldest go (their waiters beat anyway). */
  private static final int UNHEARD_KEPT = 1024;

  private final RedissonClient client;
  private final RScript script;
  private final String node;
  private final boolean confirms;

  /** Outside a Cluster: this node's one channel for every key, else null (one per key). */
  private final @Nullable String nodeChannel;

  /** Outside a Cluster: the node channel's name as Redis knows it (a NameMapper may rename it). */
  private final @Nullable String nodeChannelName;

  /** Outside a Cluster: the key each queued owner waits for. */
  private final Map<String, String> keyOfOwner = new ConcurrentHashMap<>();

  private final ReleaseListeners<Consumer<HandOver>> listeners = new ReleaseListeners<>();

  /** Outside a Cluster: hand-overs that found no listener of their key yet, by owner. */
  private final Map<String, Unheard> unheard = new LinkedHashMap<>(); // guarded by this

  private volatile @Nullable CompletableFuture<Boolean> sharded;

  /** Outside a Cluster: the node's subscription, completed with what ends it. */
  private volatile @Nullable CompletableFuture<Runnable> nodeListening;

  /**
   * @param confirms whether a grant message may be used without a claim (not with {@code
   *     waitForReplicas}: no replica acknowledged the grant)
   */
  GrantChannels(RedissonClient client, RScript script, String keyPrefix, boolean confirms) {
    this.client = client;
    this.script = script;
    this.confirms = confirms;
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

  /**
   * The channel a grant to {@code owner} goes to; before the ACQUIRE that may queue it, the owner's
   * key is noted and the node channel listened to (its grant may overtake the reply).
   */
  CompletableFuture<Channel> beforeQueueing(String key, String owner) {
    if (nodeChannel == null) {
      return sharded().thenApply(s -> new Channel(mode(s), topic(key, s).getChannelNames().get(0)));
    }
    keyOfOwner.put(owner, key);
    String name = nodeChannelName;
    return nodeListening()
        .thenCompose(listening -> sharded())
        .thenApply(s -> new Channel(mode(s), name == null ? "" : name));
  }

  /** {@code owner} holds the key (claimed, or released a hand-over it used): nothing to route. */
  void holds(String owner) {
    keyOfOwner.remove(owner);
  }

  /** {@code owner} left the queue: nothing is routed or kept for it any more. */
  void left(String owner) {
    if (nodeChannel != null) {
      synchronized (this) { // with dispatch: nothing is kept for an owner that left
        keyOfOwner.remove(owner);
        unheard.remove(owner);
      }
    }
  }

  /** Whether a hand-over always reaches its key's listener, even one added after it. */
  boolean keepsHandOvers() {
    return nodeChannel != null;
  }

  CompletableFuture<LockBackend.Subscription> subscribe(String key, Consumer<HandOver> handedTo) {
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

  /**
   * A message is {@code "<owner> <fencing token> <server ms> <hold ms> <mark>"} ({@link
   * GrantLua#GRANT}); confirmed when the mark is one of this JVM's instants and hand-overs may be:
   * the grant came after the marked call's script ran, so the key is held until mark + hold.
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
    // under the lock subscribe adds and drains with, and left() forgets with: a hand-over is
    // either heard or kept for the key's next listener (listeners only record it, nothing here
    // calls back into this class). The owner stays noted: a message of an earlier grant must not
    // make the next one unroutable.
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

  private static String mode(boolean sharded) {
    return sharded ? GrantLayout.SHARDED : GrantLayout.CLASSIC;
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
