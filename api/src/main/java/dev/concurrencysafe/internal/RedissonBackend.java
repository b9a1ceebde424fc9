package dev.concurrencysafe.internal;

import dev.concurrencysafe.RedisLayout;
import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.HandOver;
import dev.concurrencysafe.spi.LockBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RScript;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.client.codec.StringCodec;

/**
 * The Redis backend: three Lua scripts run with EVALSHA (falling back to EVAL once after a server
 * restart flushed the script cache) and one shared pub/sub channel carrying the names of released
 * keys, all through the caller's Redisson client, so any Redisson topology works.
 *
 * <p>Key layout for a logical key {@code K}: lock {@code {K}}, fencing counter {@code {K}:fence}.
 * The hash tag is the whole key: lock and counter share a slot, and no part of the key chooses it
 * on its own ({@code K} never contains braces). Releases are published on {@link
 * RedisLayout#releaseChannel(String)} with the lock's name as message; the backend subscribes once,
 * lazily, and dispatches to local waiters, so any number of waiters costs one subscription.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class RedissonBackend implements LockBackend {

  private final RScript script;
  private final LuaCalls calls;
  private final @Nullable RedisHandOver handOver;
  private final RTopic releases;
  private final String retentionMillis;
  private final String channel;
  private final String probeKey;
  private final @Nullable ReplicaWait replicaWait;
  private final ReleaseListeners<Runnable> waiters = new ReleaseListeners<>();
  private @Nullable CompletableFuture<Integer> listening;

  /**
   * @param fencingRetention how long a fencing counter outlives its lock; zero: not at all
   */
  public RedissonBackend(RedissonClient client, Duration fencingRetention) {
    this(client, fencingRetention, "", 0, Duration.ZERO, false);
  }

  /**
   * @param replicas how many replicas must acknowledge an acquisition (Redis {@code WAIT}) before
   *     it counts; 0 for none
   * @param replicaTimeout how long {@code WAIT} may take
   * @param handOver whether waiters queue in Redis and a release hands the key to the first of them
   *     (the grant-on-release protocol, {@link RedisHandOver}); else releases are published to
   *     every waiting node, which tries again
   */
  public RedissonBackend(
      RedissonClient client,
      Duration fencingRetention,
      String keyPrefix,
      int replicas,
      Duration replicaTimeout,
      boolean handOver) {
    this.replicaWait = replicas > 0 ? new ReplicaWait(client, replicas, replicaTimeout) : null;
    // No Redisson retries: Redisson resends a command that met a refusal (NOREPLICAS, READONLY,
    // MASTERDOWN, ...) or a connection that cannot be had, for retryAttempts x retryDelay (4 x 1-2
    // s
    // by default), longer than the engine's bound; the caller would wait out the bound for a
    // refusal that was known after one round trip. The engine owns the time budget instead: one
    // attempt, failing closed at once on a refusal (StoreRefusedException) and within
    // unavailableTimeout otherwise; renewals retry on their own schedule.
    this.script =
        client.getScript(OptionalOptions.defaults().codec(StringCodec.INSTANCE).retryAttempts(0));
    this.releases = client.getTopic(RedisLayout.releaseChannel(keyPrefix), StringCodec.INSTANCE);
    // the name Redis knows: a NameMapper in the client's config renames topics as well as keys
    this.channel = releases.getChannelNames().get(0);
    this.retentionMillis = Long.toString(fencingRetention.toMillis());
    this.calls = new LuaCalls(script);
    this.handOver =
        handOver
            ? new RedisHandOver(
                client, script, calls, retentionMillis, keyPrefix, replicaWait == null)
            : null;
    this.probeKey = RedisLayout.lockName(keyPrefix + "concurrency-safe:probe");
  }

  /** KEYS of every script: the lock and its fencing counter, in the same hash slot. */
  private static List<Object> keys(String key) {
    String lock = RedisLayout.lockName(key);
    return List.of(lock, lock + ":fence");
  }

  @Override
  public CompletionStage<AcquireResult> tryAcquire(String key, String owner, long ttlMillis) {
    if (handOver != null) {
      return tryAcquire(key, owner, ttlMillis, 0);
    }
    LuaCalls.Call call =
        new LuaCalls.Call(
            RedisScripts.ACQUIRE.sha1,
            RedisScripts.ACQUIRE.source,
            keys(key),
            owner,
            Long.toString(ttlMillis),
            retentionMillis);
    return acquire(call, key, owner)
        .thenApply(
            token -> token > 0 ? AcquireResult.acquired(token) : AcquireResult.heldFor(-1 - token));
  }

  @Override
  public boolean handsOver() {
    return handOver != null;
  }

  @Override
  public CompletionStage<AcquireResult> tryAcquire(
      String key, String owner, long ttlMillis, long queueMillis) {
    RedisHandOver grants = handOver;
    if (grants == null) {
      return tryAcquire(key, owner, ttlMillis);
    }
    // a caller that does not queue (fail fast, the uncontended common case) builds its call at once
    CompletionStage<Long> reply =
        queueMillis <= 0
            ? acquire(grants.acquireNow(key, owner, ttlMillis), key, owner)
            : grants
                .acquire(key, owner, ttlMillis, queueMillis)
                .thenCompose(call -> acquire(call, key, owner));
    return reply.thenApply(answer -> grants.result(owner, answer, queueMillis));
  }

  @Override
  public boolean keepsHandOvers() {
    RedisHandOver grants = handOver;
    return grants != null && grants.keepsHandOvers();
  }

  @Override
  public CompletionStage<Subscription> subscribeHandOvers(String key, Consumer<HandOver> handedTo) {
    RedisHandOver grants = handOver;
    return grants == null
        ? LockBackend.super.subscribeHandOvers(key, handedTo)
        : grants.subscribe(key, handedTo);
  }

  @Override
  public CompletionStage<Void> leaveQueue(String key, String owner) {
    RedisHandOver grants = handOver;
    return grants == null ? CompletableFuture.completedFuture(null) : grants.leaveQueue(key, owner);
  }

  /** The call, followed by {@code WAIT} when replicas must acknowledge it. */
  private CompletionStage<Long> acquire(LuaCalls.Call call, String key, String owner) {
    ReplicaWait wait = replicaWait;
    return wait == null ? calls.eval(call) : wait.acquire(call, () -> release(key, owner, 0));
  }

  @Override
  public CompletionStage<Boolean> renew(String key, String owner, long ttlMillis) {
    return eval(RedisScripts.RENEW, keys(key), owner, Long.toString(ttlMillis), retentionMillis)
        .thenApply(reply -> reply == 1);
  }

  @Override
  public CompletionStage<Boolean> release(String key, String owner, long keepMillis) {
    RedisHandOver grants = handOver;
    if (grants != null) {
      return grants.release(key, owner, keepMillis);
    }
    List<Object> keys = keys(key);
    // the lock's name once more as an argument: published as is, whatever a NameMapper makes of
    // KEYS
    return eval(
            RedisScripts.RELEASE,
            keys,
            owner,
            Long.toString(keepMillis),
            channel,
            retentionMillis,
            keys.get(0))
        .thenApply(reply -> reply == 1);
  }

  @Override
  public CompletionStage<Subscription> subscribe(String key, Runnable onRelease) {
    Subscription subscription = waiters.add(RedisLayout.lockName(key), onRelease);
    return listening()
        .<Subscription>thenApply(listenerId -> subscription)
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                subscription.close();
              }
            });
  }

  /** Keys with a release listener (a test's view of what waits leave behind). */
  int keysListenedFor() {
    return waiters.size();
  }

  private synchronized CompletableFuture<Integer> listening() {
    CompletableFuture<Integer> current = listening;
    if (current == null || current.isCompletedExceptionally()) {
      current =
          releases
              .addListenerAsync(String.class, (channel, lock) -> waiters.each(lock, Runnable::run))
              .toCompletableFuture();
      listening = current;
    }
    return current;
  }

  @Override
  public CompletionStage<Void> ping() {
    // READ_WRITE: with Redisson's default ReadMode.SLAVE a read-only script would go to a replica,
    // which answers while the master (where the locks live) is down.
    // A write (DEL of a key that never exists, in the manager's key space so a minimal ACL allows
    // it): the probe must fail where lock calls fail, also on a master that refuses writes
    // (min-replicas-to-write) or a read-only replica, not only where the store is unreachable.
    CompletableFuture<Void> pong = new CompletableFuture<>();
    script
        .<Long>evalAsync(
            RScript.Mode.READ_WRITE,
            "redis.call('del', KEYS[1]) return 1",
            RScript.ReturnType.LONG,
            List.of(probeKey))
        .whenComplete(
            (one, error) -> {
              if (error == null) {
                pong.complete(null);
              } else {
                pong.completeExceptionally(StoreReplies.classify(error));
              }
            });
    return pong;
  }

  /** See {@link StoreReplies#isUnreachable}: no connection or no answer, not a refusal. */
  @Override
  public boolean isUnreachable(Throwable error) {
    return StoreReplies.isUnreachable(error);
  }

  @Override
  public synchronized void close() {
    CompletableFuture<Integer> current = listening;
    if (current != null) {
      current.thenAccept(releases::removeListenerAsync);
    }
    waiters.clear();
    RedisHandOver grants = handOver;
    if (grants != null) {
      grants.close();
    }
    // the client belongs to the caller
  }

  private CompletionStage<Long> eval(RedisScripts lua, List<Object> keys, Object... args) {
    return calls.eval(lua.sha1, lua.source, RScript.ReturnType.LONG, keys, args);
  }
}
