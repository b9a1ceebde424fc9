package dev.concurrencysafe.examples.demo;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * A HAND-ROLLED LOCK, kept only so the demo can show its flaws: a faithful Java rendering of the
 * common Python {@code concurrency_safe()} helper. SETNX with an expiry to acquire, an
 * unconditional DEL to release (not owner-checked), a sleep of 100 ms between attempts while
 * waiting, no renewal, no fencing token. Do not use it.
 *
 * <p>Thread-safety: thread-safe (all state is in Redis), and exactly as unsafe as such helpers are.
 */
final class NaiveLock {

  /** The naive helper's blocked message. */
  static final String BLOCKED_MESSAGE = "Please try again in a moment.";

  /** The naive helper's poll interval while waiting. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  /** The naive helper's {@code ConcurrencyError}. */
  static final class Blocked extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Blocked(String message) {
      super(message);
    }
  }

  private final RedissonClient redis;
  private final AtomicLong attempts = new AtomicLong();

  NaiveLock(RedissonClient redis) {
    this.redis = redis;
  }

  /** {@code with concurrency_safe(cache_key, ttl, wait_timeout): body}, as published. */
  <T> T run(String cacheKey, Duration ttl, Duration waitTimeout, Callable<T> body)
      throws Exception {
    long start = System.nanoTime();
    while (true) {
      if (add(cacheKey, ttl)) {
        try {
          return body.call();
        } finally {
          delete(cacheKey);
        }
      }
      if (System.nanoTime() - start > waitTimeout.toNanos()) {
        throw new Blocked(BLOCKED_MESSAGE);
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
  }

  /** {@code cache.add(key, "1", timeout=ttl)}: SET NX PX. */
  boolean add(String cacheKey, Duration ttl) {
    attempts.incrementAndGet();
    return bucket(cacheKey).setIfAbsent("1", ttl);
  }

  /** {@code cache.delete(key)}: deletes whoever's lock is there. */
  void delete(String cacheKey) {
    bucket(cacheKey).delete();
  }

  /** How many SETNX attempts were sent so far (Redis load while waiting). */
  long attempts() {
    return attempts.get();
  }

  private RBucket<String> bucket(String cacheKey) {
    return redis.getBucket(cacheKey, StringCodec.INSTANCE);
  }
}
