package dev.concurrencysafe.examples.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CdiExampleTest {

  private static RedisServer redis;
  private static CdiApplication app;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    try {
      app =
          CdiApplication.start(
              Map.of("concurrency-safe.redis.address", redis.uri()), HeldPaymentGateway.class);
    } catch (RuntimeException | Error e) {
      redis.close();
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (app != null) {
        app.close();
      }
    } finally {
      redis.close();
    }
  }

  @Test
  void aJobFiredTenTimesAtOnceRunsOnceAndSkipsTheRestQuietly() throws Exception {
    NightlyDigest digest = app.bean(NightlyDigest.class);
    int before = digest.sent();
    try (dev.concurrencysafe.testing.LogCapture log =
        dev.concurrencysafe.testing.LogCapture.all()) {
      List<String> outcomes =
          concurrently(
              10,
              () -> {
                digest.send(); // skipped firings return normally: no exception to catch
                return "returned";
              });
      assertEquals(10, outcomes.stream().filter("returned"::equals).count(), outcomes.toString());
      assertEquals(1, digest.sent() - before, "one run within the 10 min cooldown");
      assertEquals(List.of(), log.messages(java.util.logging.Level.WARNING), "skips are quiet");
    }
  }

  @Test
  void concurrentPurchasesGetTheCustomExceptionWithTheConfiguredMessage() throws Exception {
    int buyers = 5;
    CountDownLatch othersAnswered = new CountDownLatch(buyers - 1);
    List<String> keysWhileHeld = new ArrayList<>();
    app.bean(HeldPaymentGateway.class)
        .holdUntil(othersAnswered, () -> keysWhileHeld.add(redis.command("KEYS", "*purchase*")));
    TicketOffice office = app.bean(TicketOffice.class);

    List<String> results =
        concurrently(
            buyers,
            () -> {
              try {
                return "receipt " + office.purchase("user-1", "ticket-9");
              } catch (PurchaseInProgressException e) {
                othersAnswered.countDown();
                return "refused: " + e.getMessage();
              }
            });

    assertEquals(
        1, results.stream().filter(r -> r.startsWith("receipt")).count(), results::toString);
    // The message comes from microprofile-config.properties, not from the annotation.
    assertEquals(
        buyers - 1,
        results.stream()
            .filter("refused: Your purchase of this ticket is already being processed."::equals)
            .count(),
        results::toString);
    // concurrency-safe.key-prefix from the same file: the held lock lived under "examples:".
    assertEquals(
        List.of("{examples:lock:purchase:user-1:ticket-9}"),
        keysWhileHeld.stream().flatMap(k -> k.lines()).filter(k -> !k.endsWith(":fence")).toList());
  }

  @Test
  void aCatalogConstantKeysTheRewardAndTheLedgerHoldsOneEntry() throws Exception {
    int requests = 5;
    MissionRewards rewards = app.bean(MissionRewards.class);
    List<String> results =
        concurrently(
            requests,
            () -> {
              try {
                return rewards.giveReward("user-2", "mission-7") ? "given" : "already given";
              } catch (ConcurrencyException e) {
                return "refused: " + e.getMessage();
              }
            });
    assertTrue(results.contains("given"), results::toString);
    assertFalse(results.stream().anyMatch(r -> r.startsWith("failed")), results::toString);
    assertEquals(List.of("user-2/mission-7"), rewards.ledgerEntries());
    assertTrue(
        results.stream()
            .allMatch(
                r ->
                    r.equals("given")
                        || r.equals("already given")
                        || r.equals("refused: " + LockSpec.DEFAULT_BLOCKED_MESSAGE)),
        results::toString);
  }

  private static List<String> concurrently(int callers, Callable<String> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return call.call();
                }));
      }
      go.countDown();
      List<String> results = new ArrayList<>();
      for (Future<String> f : futures) {
        results.add(f.get(20, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
