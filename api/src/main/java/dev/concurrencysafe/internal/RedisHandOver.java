package dev.concurrencysafe.internal;

import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.HandOver;
import dev.concurrencysafe.spi.LockBackend;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;

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
 * <p>Where the node hears its grants, and how a message becomes a {@link HandOver}: {@link
 * GrantChannels}.
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

  /** What an ACQUIRE that never queues sends for the channel: it is never published to. */
  private static final GrantChannels.Channel NO_CHANNEL =
      new GrantChannels.Channel(GrantLayout.CLASSIC, "");

  private final LuaCalls calls;
  private final String retention;
  private final GrantChannels channels;

  /**
   * @param confirmsHandOvers whether a grant message may be used without a claim (not with {@code
   *     waitForReplicas}: no replica acknowledged the grant)
   */
  RedisHandOver(
      RedissonClient client,
      RScript script,
      LuaCalls calls,
      String retentionMillis,
      String keyPrefix,
      boolean confirmsHandOvers) {
    this.calls = calls;
    this.retention = retentionMillis;
    this.channels = new GrantChannels(client, script, keyPrefix, confirmsHandOvers);
  }

  /**
   * ACQUIRE's script and arguments for a caller that may queue ({@code queueMillis > 0}), once the
   * channel its grant will come on is known and listened to.
   */
  CompletionStage<LuaCalls.Call> acquire(
      String key, String owner, long ttlMillis, long queueMillis) {
    return channels
        .beforeQueueing(key, owner)
        .thenApply(channel -> acquire(key, owner, ttlMillis, queueMillis, channel));
  }

  /** ACQUIRE's script and arguments for a caller that does not queue: nothing to wait for. */
  LuaCalls.Call acquireNow(String key, String owner, long ttlMillis) {
    return acquire(key, owner, ttlMillis, 0, NO_CHANNEL);
  }

  /** The call, marked with the instant it is made: no later than it is sent. */
  private LuaCalls.Call acquire(
      String key, String owner, long ttl, long queue, GrantChannels.Channel channel) {
    return call(
        GrantProtocol.ACQUIRE,
        key,
        owner,
        Long.toString(ttl),
        retention,
        Long.toString(queue),
        LEASE,
        CLAIM,
        channel.mode(),
        channel.name(),
        Long.toString(System.nanoTime()));
  }

  /** ACQUIRE's reply: a token, or a refusal saying when a queued caller must call again. */
  AcquireResult result(String owner, long reply, long queueMillis) {
    if (reply > 0) {
      channels.holds(owner);
      return AcquireResult.acquired(reply);
    }
    long held = -1 - reply;
    return AcquireResult.heldFor(queueMillis > 0 ? Math.min(held, BEAT_MS) : held);
  }

  /** RELEASE: whether the key was the owner's (then freed or handed to the next waiter). */
  CompletionStage<Boolean> release(String key, String owner, long keepMillis) {
    channels.holds(owner); // a hand-over used as it came left its owner noted
    return calls
        .eval(call(GrantProtocol.RELEASE, key, owner, Long.toString(keepMillis), retention, CLAIM))
        .thenApply(reply -> reply > 0);
  }

  CompletionStage<Void> leaveQueue(String key, String owner) {
    channels.left(owner);
    return calls
        .eval(call(GrantProtocol.CANCEL, key, owner, retention, CLAIM))
        .thenApply(reply -> null);
  }

  CompletionStage<LockBackend.Subscription> subscribe(String key, Consumer<HandOver> handedTo) {
    return channels.subscribe(key, handedTo);
  }

  /** Whether a hand-over always reaches its key's listener, even one added after it. */
  boolean keepsHandOvers() {
    return channels.keepsHandOvers();
  }

  /** Stops listening for grants (the backend is closing). */
  void close() {
    channels.close();
  }

  private static LuaCalls.Call call(GrantProtocol lua, String key, Object... args) {
    return new LuaCalls.Call(lua.sha1, lua.source, GrantLayout.keys(key), args);
  }
}
