package dev.concurrencysafe.examples.cdi;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.examples.plain.CacheKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.redisson.api.RBucket;
import org.redisson.api.RList;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * One reward per user and mission as a CDI bean: the lock key is the catalog constant {@link
 * CacheKey#MISSION_USER_GIVE_REWARD_LOCK} ({@code "lock:mission:reward:{userId}:{rewardId}"}, ttl
 * from the catalog), its placeholders bound to the parameters of the same names. A duplicate call
 * gets the core's {@link dev.concurrencysafe.ConcurrencyException}. Rewards are recorded in Redis
 * under {@code examples.data-prefix}.
 *
 * <p>Thread-safety: thread-safe.
 */
@ApplicationScoped
public class MissionRewards {

  @Inject RedissonClient redis;

  @Inject RewardPayout payout;

  /**
   * Gives the reward unless it was given before.
   *
   * @return true if this call gave it, false if it had been given already
   */
  @ConcurrencySafe(catalog = CacheKey.class, key = "MISSION_USER_GIVE_REWARD_LOCK")
  public boolean giveReward(String userId, String rewardId) {
    RBucket<String> given =
        redis.getBucket(dataKey("given:" + userId + "/" + rewardId), StringCodec.INSTANCE);
    if (given.isExists()) {
      return false;
    }
    payout.pay(userId, rewardId);
    ledger().add(userId + "/" + rewardId);
    given.set("1");
    return true;
  }

  /** Every reward given, one entry per payout. */
  public List<String> ledgerEntries() {
    return ledger().readAll();
  }

  /** The Redis key of the ledger. */
  public String ledgerKey() {
    return dataKey("ledger");
  }

  private RList<String> ledger() {
    return redis.getList(ledgerKey(), StringCodec.INSTANCE);
  }

  private static String dataKey(String name) {
    String prefix =
        ConfigProvider.getConfig()
            .getOptionalValue("examples.data-prefix", String.class)
            .orElse("");
    return prefix + "rewards:" + name;
  }
}
