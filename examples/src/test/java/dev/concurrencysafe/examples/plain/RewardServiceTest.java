package dev.concurrencysafe.examples.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.LockSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RewardServiceTest {

  @RegisterExtension static final RunningExample example = new RunningExample();

  @Test
  void tenConcurrentIdenticalRequestsGiveTheRewardOnce() throws Exception {
    int requests = 10;
    // The payout holds until every other request has been answered, so all ten really overlap.
    CountDownLatch othersAnswered = new CountDownLatch(requests - 1);
    RewardService service =
        new RewardService(
            example.app().redissonClient(), "t1:", (user, reward) -> await(othersAnswered));
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        outcomes.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    return service.giveReward("user-1", "reward-7") ? "given" : "already given";
                  } catch (ConcurrencyException e) {
                    othersAnswered.countDown();
                    return "refused: " + e.getMessage();
                  }
                }));
      }
      go.countDown();
      List<String> results = new ArrayList<>();
      for (Future<String> outcome : outcomes) {
        results.add(outcome.get(10, TimeUnit.SECONDS));
      }
      assertEquals(1, results.stream().filter("given"::equals).count(), results::toString);
      assertEquals(
          requests - 1,
          results.stream().filter(("refused: " + LockSpec.DEFAULT_BLOCKED_MESSAGE)::equals).count(),
          results::toString);
      // Checked against the data in Redis, not only against what the callers were told.
      assertEquals(List.of("user-1/reward-7"), service.ledgerEntries());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRepeatedRequestAfterTheFirstEndedFindsTheRewardGiven() {
    RewardService service =
        new RewardService(example.app().redissonClient(), "t2:", (user, reward) -> {});
    assertTrue(service.giveReward("user-2", "reward-7"));
    assertFalse(service.giveReward("user-2", "reward-7"));
    assertTrue(service.giveReward("user-3", "reward-7"));
    assertEquals(List.of("user-2/reward-7", "user-3/reward-7"), service.ledgerEntries());
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the other requests were not answered within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
