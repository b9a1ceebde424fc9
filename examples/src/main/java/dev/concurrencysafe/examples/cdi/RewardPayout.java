package dev.concurrencysafe.examples.cdi;

/**
 * Pays a reward out, typically by calling a partner API: slow and not idempotent, which is why
 * {@link MissionRewards} must never call it twice for the same reward.
 *
 * <p>Thread-safety: implementations must be thread-safe.
 */
public interface RewardPayout {

  void pay(String userId, String rewardId);
}
