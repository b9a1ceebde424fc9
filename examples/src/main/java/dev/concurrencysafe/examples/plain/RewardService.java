package dev.concurrencysafe.examples.plain;

import dev.concurrencysafe.Locks;
import java.util.List;
import org.redisson.api.RList;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Use case 1: give a mission reward at most once per (user, reward), even when the same request
 * arrives ten times at once. Rewards are recorded in Redis (a "given" marker per pair and a ledger
 * list), so the result can be checked against the data.
 *
 * <p>The check-then-pay-then-record sequence below is a classic race on its own: ten concurrent
 * requests would all see "not given yet" and all pay. The lock makes it safe; a duplicate request
 * gets {@link dev.concurrencysafe.ConcurrencyException} with the blocked message.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class RewardService {

  /** Pays a reward out, for example by calling an external API; slow and not idempotent. */
  @FunctionalInterface
  public interface Payout {
    void pay(String userId, String rewardId);
  }

  private final RedissonClient redis;
  private final String dataPrefix;
  private final Payout payout;

  /**
   * @param dataPrefix prefix of the data keys ({@code <prefix>given:..}, {@code <prefix>ledger})
   */
  public RewardService(RedissonClient redis, String dataPrefix, Payout payout) {
    this.redis = redis;
    this.dataPrefix = dataPrefix;
    this.payout = payout;
  }

  /**
   * Gives the reward unless it was given before.
   *
   * @return true if this call gave it, false if it had been given already
   * @throws dev.concurrencysafe.ConcurrencyException if the same reward is being given right now
   */
  public boolean giveReward(String userId, String rewardId) {
    return Locks.with(CacheKey.MISSION_USER_GIVE_REWARD_LOCK, userId, rewardId)
        .call(
            () -> {
              var given =
                  redis.<String>getBucket(
                      dataPrefix + "given:" + userId + "/" + rewardId, StringCodec.INSTANCE);
              if (given.isExists()) {
                return false;
              }
              payout.pay(userId, rewardId);
              ledger().add(userId + "/" + rewardId);
              given.set("1");
              return true;
            });
  }

  /** Every reward given, one entry per payout, in order. */
  public List<String> ledgerEntries() {
    return ledger().readAll();
  }

  private RList<String> ledger() {
    return redis.getList(dataPrefix + "ledger", StringCodec.INSTANCE);
  }
}
