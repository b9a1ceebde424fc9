package dev.concurrencysafe.examples.demo;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.examples.cdi.CdiApplication;
import dev.concurrencysafe.examples.cdi.MissionRewards;
import dev.concurrencysafe.examples.plain.CacheKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Scenario 1, one reward per user and mission, in a small CDI application on Weld SE: 5 users each
 * send the same "give reward" request 10 times at once to {@link MissionRewards#giveReward},
 * guarded by {@code @ConcurrencySafe(catalog = CacheKey.class, key =
 * "MISSION_USER_GIVE_REWARD_LOCK")}. Each payout holds until every duplicate has been answered, so
 * the requests really overlap. Expected: exactly 5 rewards, 45 refusals with the blocked message,
 * and the Redis ledger agrees.
 *
 * <p>Thread-safety: run from one thread.
 */
final class DuplicateRewardsScenario {

  static final int USERS = 5;
  static final int REQUESTS_PER_USER = 10;
  static final String REWARD = "mission-7";

  private DuplicateRewardsScenario() {}

  /**
   * The CDI container lives for this scenario only; it connects through MicroProfile Config, and
   * the manager the extension builds reports to {@code metrics} (added as a LockListener bean).
   */
  static boolean run(
      String address,
      String keyPrefix,
      String dataPrefix,
      Report report,
      LogTap logs,
      LockListener metrics)
      throws Exception {
    Logger.getLogger("org.jboss.weld").setLevel(Level.WARNING); // keep Weld's banner out
    logs.drain();
    try (CdiApplication app =
        CdiApplication.start(
            Map.of(
                "concurrency-safe.redis.address", address,
                "concurrency-safe.key-prefix", keyPrefix,
                "examples.data-prefix", dataPrefix),
            List.of(metrics),
            DemoPayout.class)) {
      return run(app, report, logs);
    }
  }

  private static boolean run(CdiApplication app, Report report, LogTap logs) throws Exception {
    report.section(
        1,
        "Duplicate rewards: "
            + USERS
            + " users x "
            + REQUESTS_PER_USER
            + " concurrent identical requests");
    logs.drain().stream()
        .filter(line -> line.contains("@ConcurrencySafe method"))
        .forEach(
            line ->
                report.line(
                    "a CDI application on Weld SE; MissionRewards.giveReward is @ConcurrencySafe;"
                        + " the extension says: %s",
                    line.replaceFirst("^INFO \\[concurrency-safe\\] ", "")));
    report.line(
        "key: CacheKey.MISSION_USER_GIVE_REWARD_LOCK = \"%s\", e.g. \"%s\"",
        CacheKey.MISSION_USER_GIVE_REWARD_LOCK.pattern(),
        CacheKey.MISSION_USER_GIVE_REWARD_LOCK.format("user-1", REWARD));

    int duplicates = USERS * (REQUESTS_PER_USER - 1);
    CountDownLatch duplicatesAnswered = new CountDownLatch(duplicates);
    app.bean(DemoPayout.class).holdUntil(duplicatesAnswered);
    MissionRewards rewards = app.bean(MissionRewards.class);

    List<Future<String>> outcomes = sendAll(rewards, duplicatesAnswered, report);

    reportBlockedLines(report, logs);
    List<String> ledger = rewards.ledgerEntries();
    report.line("Redis ledger (%s): %s", rewards.ledgerKey(), ledger);
    String refused = "refused: " + LockSpec.DEFAULT_BLOCKED_MESSAGE;
    long refusedCount =
        outcomes.stream().map(DuplicateRewardsScenario::result).filter(refused::equals).count();
    long givenCount =
        outcomes.stream().map(DuplicateRewardsScenario::result).filter("given"::equals).count();
    List<String> expectedLedger = new ArrayList<>();
    for (int u = 1; u <= USERS; u++) {
      expectedLedger.add("user-" + u + "/" + REWARD);
    }
    report.check(givenCount == USERS, "exactly " + USERS + " rewards given (" + givenCount + ")");
    report.check(
        refusedCount == duplicates,
        duplicates
            + " duplicates refused with \""
            + LockSpec.DEFAULT_BLOCKED_MESSAGE
            + "\" ("
            + refusedCount
            + ")");
    report.check(
        ledger.stream().sorted().collect(Collectors.toList()).equals(expectedLedger),
        "the ledger in Redis holds one reward per user, no more");
    return report.sectionPassed();
  }

  /**
   * Every user's requests at once, each on its own thread; a refused one counts down {@code
   * duplicatesAnswered}. Reports the tally and returns every request's outcome.
   */
  private static List<Future<String>> sendAll(
      MissionRewards rewards, CountDownLatch duplicatesAnswered, Report report) throws Exception {
    List<Future<String>> outcomes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(USERS * REQUESTS_PER_USER);
    try {
      CountDownLatch go = new CountDownLatch(1);
      for (int u = 1; u <= USERS; u++) {
        String user = "user-" + u;
        for (int r = 0; r < REQUESTS_PER_USER; r++) {
          outcomes.add(
              pool.submit(
                  () -> {
                    go.await();
                    try {
                      return rewards.giveReward(user, REWARD) ? "given" : "already given";
                    } catch (ConcurrencyException e) {
                      duplicatesAnswered.countDown();
                      return "refused: " + e.getMessage();
                    }
                  }));
        }
      }
      go.countDown();
      Map<String, Integer> tally = new TreeMap<>();
      for (Future<String> outcome : outcomes) {
        tally.merge(outcome.get(30, TimeUnit.SECONDS), 1, Integer::sum);
      }
      tally.forEach((what, count) -> report.line("%2d x %s", count, what));
    } finally {
      pool.shutdownNow();
    }
    return outcomes;
  }

  /** The refusals' WARNING lines, counted, with one of them as an example. */
  private static void reportBlockedLines(Report report, LogTap logs) {
    List<String> blockedLines =
        logs.drain().stream()
            .filter(line -> line.startsWith("WARNING") && line.contains("blocked"))
            .toList();
    if (!blockedLines.isEmpty()) {
      report.line(
          "%d WARNING log lines (the naive helper's blocked_log_level), e.g. \"%s\"",
          blockedLines.size(), blockedLines.get(0));
    }
  }

  private static String result(Future<String> done) {
    try {
      return done.get();
    } catch (Exception e) {
      return "failed: " + e;
    }
  }
}
