package dev.concurrencysafe.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * An ACQUIRE that counts only once enough replicas acknowledged it ({@code
 * LockManagerBuilder.waitForReplicas}): the script followed by {@code WAIT replicas timeout} on the
 * same connection (a Redisson batch). An acquisition fewer replicas acknowledged is given back and
 * fails: a failover to a replica that never saw it would hand the key to a second owner.
 *
 * <p>Thread-safety: immutable.
 */
final class ReplicaWait {

  private final RedissonClient client;
  private final int replicas;
  private final Duration timeout;

  ReplicaWait(RedissonClient client, int replicas, Duration timeout) {
    this.client = client;
    this.replicas = replicas;
    this.timeout = timeout;
  }

  /**
   * The ACQUIRE {@code call}'s reply once acknowledged; {@code giveBack} releases a key it took.
   */
  CompletionStage<Long> acquire(LuaCalls.Call call, Runnable giveBack) {
    RBatch batch =
        client.createBatch(BatchOptions.defaults().sync(replicas, timeout).retryAttempts(0));
    CompletableFuture<Long> reply =
        batch
            .getScript(StringCodec.INSTANCE)
            .<Long>evalAsync(
                RScript.Mode.READ_WRITE,
                call.source(),
                RScript.ReturnType.LONG,
                call.keys(),
                call.args())
            .toCompletableFuture();
    return batch
        .executeAsync()
        .toCompletableFuture()
        .handle(
            (result, error) -> {
              Long token = reply.getNow(null);
              int synced = result == null ? 0 : result.getSyncedSlaves();
              if (error == null && token != null && (token <= 0 || synced >= replicas)) {
                return token;
              }
              if (token == null && error != null) {
                throw new CompletionException(StoreReplies.classify(error));
              }
              if (token != null && token > 0) {
                giveBack.run();
              }
              throw new CompletionException(
                  new ReplicaAcknowledgementException(
                      "the acquisition was acknowledged by "
                          + synced
                          + " of the "
                          + replicas
                          + " required replica(s) within "
                          + timeout
                          + "; it was given back",
                      error));
            });
  }

  /** An acquisition too few replicas acknowledged. */
  static final class ReplicaAcknowledgementException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReplicaAcknowledgementException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
