package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Holds one key per protocol "elsewhere" for measure 2: ours through a second lock manager (another
 * owner, as another JVM would be), the RLock from another thread (RLock owners are threads), the
 * naive lock's key with a plain SET. Closing gives all three back.
 *
 * <p>Thread-safety: create and close from one thread.
 */
final class RefusedHolders implements AutoCloseable {

  static final String OURS = "bench:refused:ours";
  static final String RLOCK = "bench:refused:rlock";
  static final String NAIVE = "bench:refused:naive";
  private static final Duration HOLD = Duration.ofMinutes(2);

  private final RedissonClient client;
  private final LockManager otherManager;
  private final Lease ours;
  private final Lease oursInMemory;

  RefusedHolders(RedissonClient client) throws InterruptedException {
    this.client = client;
    this.otherManager = LockManager.redisson(client);
    this.ours = otherManager.with(OURS).ttl(HOLD).acquire();
    // held by this thread, so another thread must ask: reentrancy would let this one join
    this.oursInMemory = holdInMemoryFromAnotherThread();
    Thread rlockHolder =
        new Thread(
            () -> {
              try {
                if (!client.getLock(RLOCK).tryLock(0, HOLD.toMillis(), TimeUnit.MILLISECONDS)) {
                  throw new IllegalStateException("could not hold " + RLOCK);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "rlock-holder");
    rlockHolder.start();
    rlockHolder.join();
    if (!client.getLock(RLOCK).isLocked()) {
      throw new IllegalStateException("the RLock holder thread did not take " + RLOCK);
    }
    client.getBucket(NAIVE, StringCodec.INSTANCE).set("1", HOLD);
  }

  private static Lease holdInMemoryFromAnotherThread() throws InterruptedException {
    Lease[] held = new Lease[1];
    Thread holder =
        new Thread(
            () -> held[0] = Variants.IN_MEMORY.with(OURS).ttl(HOLD).acquire(), "in-memory-holder");
    holder.start();
    holder.join();
    if (held[0] == null) {
      throw new IllegalStateException("could not hold " + OURS + " in memory");
    }
    return held[0];
  }

  @Override
  public void close() {
    ours.close();
    oursInMemory.close();
    otherManager.close();
    RLock lock = client.getLock(RLOCK);
    lock.forceUnlock();
    client.getBucket(NAIVE, StringCodec.INSTANCE).delete();
  }
}
