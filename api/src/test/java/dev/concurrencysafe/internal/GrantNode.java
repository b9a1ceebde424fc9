package dev.concurrencysafe.internal;

import dev.concurrencysafe.testing.ServerBinary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.client.codec.StringCodec;

/**
 * One application node as the grant protocol sees it, driving {@link GrantProtocol}'s scripts with
 * its own Redisson client and listening on its own grant channel of each key it waits for (sharded
 * pub/sub on Redis 7+ and Valkey, classic pub/sub on 6.2). Test-only: no engine involved.
 *
 * <p>Thread-safety: thread-safe.
 */
final class GrantNode implements AutoCloseable {

  static final boolean SHARDED = ServerBinary.chosen().major() >= 7;

  final RedissonClient client;
  final String id;
  private final RScript script;
  private final Map<String, CompletableFuture<Long>> grants = new ConcurrentHashMap<>();
  final Map<String, Long> grantServerMs = new ConcurrentHashMap<>();
  private final List<Runnable> unsubscribe = new ArrayList<>();
  private final Map<String, Boolean> subscribed = new ConcurrentHashMap<>();
  long leaseMs = 2_000;
  long claimMs = 500;
  String retentionMs = "0";

  GrantNode(RedissonClient client, String id) {
    this.client = client;
    this.id = id;
    this.script = client.getScript(OptionalOptions.defaults().codec(StringCodec.INSTANCE));
  }

  String channel(String key) {
    return GrantLayout.grantChannel(key, id);
  }

  /** Subscribes to this node's grant channel of {@code key}; returns once the server has it. */
  synchronized void listen(String key) {
    if (subscribed.putIfAbsent(key, true) != null) {
      return;
    }
    String channel = channel(key);
    if (SHARDED) {
      var topic = client.getShardedTopic(channel, StringCodec.INSTANCE);
      int listener = topic.addListener(String.class, (ch, message) -> granted(message));
      unsubscribe.add(() -> topic.removeListener(listener));
    } else {
      var topic = client.getTopic(channel, StringCodec.INSTANCE);
      int listener = topic.addListener(String.class, (ch, message) -> granted(message));
      unsubscribe.add(() -> topic.removeListener(listener));
    }
  }

  private void granted(String message) {
    String[] parts = message.split(" ");
    grantServerMs.put(parts[0], Long.parseLong(parts[2]));
    grantOf(parts[0]).complete(Long.parseLong(parts[1]));
  }

  /** Completes with the fencing token when a grant message for {@code owner} arrives. */
  CompletableFuture<Long> grantOf(String owner) {
    return grants.computeIfAbsent(owner, o -> new CompletableFuture<>());
  }

  void forgetGrant(String owner) {
    grants.remove(owner);
  }

  String owner(int sequence) {
    return id + ":" + sequence;
  }

  long acquire(String key, String owner, long ttlMs, long waitMs) {
    if (waitMs > 0) {
      listen(key);
    }
    return acquire(
        key,
        owner,
        ttlMs,
        waitMs,
        SHARDED ? GrantLayout.SHARDED : GrantLayout.CLASSIC,
        channel(key));
  }

  /** ACQUIRE registering any publish mode and channel, without subscribing. */
  long acquire(String key, String owner, long ttlMs, long waitMs, String mode, String channel) {
    return eval(
        GrantProtocol.ACQUIRE,
        key,
        owner,
        Long.toString(ttlMs),
        retentionMs,
        Long.toString(waitMs),
        Long.toString(leaseMs),
        Long.toString(claimMs),
        mode,
        channel);
  }

  /** One status per owner: 1 queued, 2 holds the key, 0 gone. */
  List<Long> refresh(String key, String... owners) {
    List<Object> args =
        new ArrayList<>(List.of(Long.toString(leaseMs), Long.toString(claimMs), retentionMs));
    args.addAll(List.of(owners));
    return run(
        GrantProtocol.REFRESH,
        () ->
            script.<List<Long>>evalSha(
                RScript.Mode.READ_WRITE,
                GrantProtocol.REFRESH.sha1,
                RScript.ReturnType.LIST,
                GrantLayout.keys(key),
                args.toArray()),
        () ->
            script.<List<Long>>eval(
                RScript.Mode.READ_WRITE,
                GrantProtocol.REFRESH.source,
                RScript.ReturnType.LIST,
                GrantLayout.keys(key),
                args.toArray()));
  }

  long claim(String key, String owner, long ttlMs) {
    return eval(GrantProtocol.CLAIM, key, owner, Long.toString(ttlMs), retentionMs);
  }

  long release(String key, String owner, long keepMs) {
    return eval(
        GrantProtocol.RELEASE,
        key,
        owner,
        Long.toString(keepMs),
        retentionMs,
        Long.toString(claimMs));
  }

  long cancel(String key, String owner) {
    return eval(GrantProtocol.CANCEL, key, owner, retentionMs, Long.toString(claimMs));
  }

  /**
   * What a node's waiter does after its ACQUIRE queued it: waits for its grant message, refreshing
   * its entry every beat (lease / 3; which also hands on a grant that expired unclaimed), and
   * claims the key; CLAIM's reply, not the message, is the token (a message may be of an earlier
   * grant that expired). At the deadline: one last ACQUIRE with wait 0, which takes the key if it
   * is this waiter's turn and otherwise leaves the queue. Interrupted: CANCEL (a grant that raced
   * is passed on), then the interrupt is kept. Returns the fencing token, or -1 (nothing left in
   * Redis for this owner).
   */
  long await(String key, String owner, long ttlMs, long deadlineNanos) {
    long beat = Math.max(1, leaseMs / 3);
    try {
      while (true) {
        long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0) {
          long last = acquire(key, owner, ttlMs, 0);
          return last > 0 ? last : -1;
        }
        long token;
        try {
          grantOf(owner).get(Math.min(beat, leftMs), TimeUnit.MILLISECONDS);
          forgetGrant(owner);
          token = claim(key, owner, ttlMs);
        } catch (TimeoutException beatDue) {
          long status = refresh(key, owner).get(0);
          token = status == 2 ? claim(key, owner, ttlMs) : status == 1 ? -1 : 0;
          if (status == 0) {
            forgetGrant(owner); // a message not taken yet is of the grant that just expired
          }
        }
        if (token > 0) {
          return token;
        }
        leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (token == 0 && leftMs > 0) { // gone, or a stale message: (re)join, keeping a place held
          long reply = acquire(key, owner, ttlMs, leftMs);
          if (reply > 0) {
            return reply;
          }
        }
      }
    } catch (InterruptedException e) {
      cancel(key, owner);
      Thread.currentThread().interrupt();
      return -1;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a grant future cannot fail", e);
    }
  }

  private long eval(GrantProtocol lua, String key, Object... args) {
    Long reply =
        run(
            lua,
            () ->
                script.<Long>evalSha(
                    RScript.Mode.READ_WRITE,
                    lua.sha1,
                    RScript.ReturnType.LONG,
                    GrantLayout.keys(key),
                    args),
            () ->
                script.<Long>eval(
                    RScript.Mode.READ_WRITE,
                    lua.source,
                    RScript.ReturnType.LONG,
                    GrantLayout.keys(key),
                    args));
    return reply;
  }

  /** EVALSHA, and EVAL once when the server does not have the script yet. */
  private static <T> T run(GrantProtocol lua, Supplier<T> evalSha, Supplier<T> eval) {
    try {
      return evalSha.get();
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (String.valueOf(t.getMessage()).contains("NOSCRIPT")) {
          return eval.get();
        }
      }
      throw new IllegalStateException(lua + " failed", e);
    }
  }

  @Override
  public synchronized void close() {
    unsubscribe.forEach(Runnable::run);
    client.shutdown();
  }
}
