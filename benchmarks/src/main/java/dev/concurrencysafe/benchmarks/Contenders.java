package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.RedisLayout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RLock;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The lock protocols of measure 3, each waiting up to {@link #WAIT} for one shared key.
 *
 * <p>Thread-safety: every contender is thread-safe; many threads use one at once.
 */
final class Contenders {

  /** Generous: under 16-way contention on a 1 ms body no waiter should ever need this long. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private Contenders() {}

  static final String OUR_KEY = "bench:contended:ours";

  /**
   * Listens on the Redis backend's release channel through the same client for releases of {@link
   * #OUR_KEY} (message {@code {K}}), so the probe sees a release when the engine's waiters do.
   */
  static Runnable probeOurReleases(
      RedissonClient client, ContentionHarness.NotificationProbe probe) {
    RTopic topic = client.getTopic(RedisLayout.releaseChannel(""), StringCodec.INSTANCE);
    String lockName = "{" + OUR_KEY + "}";
    int listener =
        topic.addListener(
            String.class,
            (channel, message) -> {
              if (lockName.equals(message)) {
                probe.notified();
              }
            });
    return () -> topic.removeListener(listener);
  }

  static final String HAND_OVER_KEY = "bench:contended:handover";

  static ContentionHarness.WaitingLock ours(LockManager locks, String key) {
    return body -> {
      try {
        locks.with(key).waitTimeout(WAIT).run(body::run);
        return true;
      } catch (ConcurrencyException timedOut) {
        return false;
      }
    };
  }

  /** Measure 4: the DSL and raw RLock, each thread cycling its own key. */
  static List<ThroughputHarness.Contender> distinctKeys(RedissonClient client, LockManager locks) {
    return List.of(
        new ThroughputHarness.Contender(
            "dsl",
            thread -> {
              String key = "bench:throughput:" + thread + ":dsl";
              return () -> locks.with(key).run(() -> {});
            }),
        new ThroughputHarness.Contender(
            "rlock",
            thread -> {
              RLock lock = client.getLock("bench:throughput:" + thread + ":rlock");
              return () -> {
                if (!lock.tryLock(0, Variants.TTL.toMillis(), TimeUnit.MILLISECONDS)) {
                  throw new IllegalStateException("RLock on a thread's own key was refused");
                }
                lock.unlock();
              };
            }));
  }

  static ContentionHarness.WaitingLock rlock(RedissonClient client) {
    return body -> {
      RLock lock = client.getLock("bench:contended:rlock");
      if (!lock.tryLock(WAIT.toMillis(), Variants.TTL.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
      try {
        body.run();
      } finally {
        lock.unlock();
      }
      return true;
    };
  }

  static ContentionHarness.WaitingLock naivePolling(RedissonClient client) {
    NaiveLock naive = new NaiveLock(client);
    return body -> {
      try {
        naive.run("bench:contended:naive", Variants.TTL, WAIT, body);
        return true;
      } catch (NaiveLock.Blocked timedOut) {
        return false;
      }
    };
  }
}
