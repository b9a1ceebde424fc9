package dev.concurrencysafe.examples.demo;

import dev.concurrencysafe.examples.cdi.RewardPayout;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The demo's reward payout: holds each payout until every duplicate request has been answered, so
 * the demo's concurrent requests really overlap. Not discovered (no bean-defining annotation): the
 * demo adds it to its container explicitly, where it replaces the default payout.
 *
 * <p>Thread-safety: thread-safe.
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@Singleton
public class DemoPayout implements RewardPayout {

  private volatile CountDownLatch duplicatesAnswered = new CountDownLatch(0);

  void holdUntil(CountDownLatch latch) {
    this.duplicatesAnswered = latch;
  }

  @Override
  public void pay(String userId, String rewardId) {
    try {
      // Bounded, so a bug cannot hang the demo: the report then shows what went wrong.
      duplicatesAnswered.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
