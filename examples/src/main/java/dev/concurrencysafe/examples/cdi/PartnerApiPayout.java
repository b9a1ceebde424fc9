package dev.concurrencysafe.examples.cdi;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The default {@link RewardPayout}: stands in for a call to a partner's reward API.
 *
 * <p>Thread-safety: stateless.
 */
@ApplicationScoped
public class PartnerApiPayout implements RewardPayout {

  @Override
  public void pay(String userId, String rewardId) {
    // A real application calls the partner's API here.
  }
}
