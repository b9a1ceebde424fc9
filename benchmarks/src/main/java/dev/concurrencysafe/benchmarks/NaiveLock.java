package dev.concurrencysafe.benchmarks;

import java.time.Duration;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * A hand-rolled lock, as a baseline: {@code SET key 1 NX PX ttl}; if taken, poll every 100 ms until
 * the wait timeout; release with a plain {@code DEL} (no owner check: that is the naive lock's
 * defect, kept here because it is what is being compared, not what anyone should use).
 *
 * <p>Thread-safety: thread-safe (stateless apart from the client).
 */
final class NaiveLock {

  static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private final RedissonClient client;

  NaiveLock(RedissonClient client) {
    this.client = client;
  }

  /** Its ConcurrencyError: the key stayed taken for the whole wait. */
  static final class Blocked extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Blocked() {
      super("Please try again in a moment.", null, false, false);
    }
  }

  /** Runs {@code body} under the lock, or throws {@link Blocked} when the wait ran out. */
  void run(String key, Duration ttl, Duration waitTimeout, Runnable body)
      throws InterruptedException {
    RBucket<String> bucket = client.getBucket(key, StringCodec.INSTANCE);
    long start = System.nanoTime();
    while (true) {
      if (bucket.setIfAbsent("1", ttl)) {
        try {
          body.run();
        } finally {
          bucket.delete();
        }
        return;
      }
      if (System.nanoTime() - start > waitTimeout.toNanos()) {
        throw new Blocked();
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
  }
}
