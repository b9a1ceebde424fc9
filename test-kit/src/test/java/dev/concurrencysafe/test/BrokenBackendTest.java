package dev.concurrencysafe.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.LockBackend;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The suite catches a backend that does not exclude: a third backend that grants every acquire (as
 * a store with a broken "set if absent" would) fails it: 23 of its 30 tests, every one in which a
 * second owner takes the key, and a 24th when its fencing test's threads overlap.
 */
class BrokenBackendTest {

  /** Not picked up by the build's test scan (no "Test" suffix); run below through the test kit. */
  static class GrantsEverything extends LockBackendContract {

    private final AtomicLong tokens = new AtomicLong();

    @Override
    protected LockBackend newBackend() {
      return new ForwardingBackend(LockManager.builder().inMemoryBackend()) {
        @Override
        public CompletionStage<AcquireResult> tryAcquire(String key, String owner, long ttlMillis) {
          return CompletableFuture.completedFuture(
              AcquireResult.acquired(tokens.incrementAndGet()));
        }
      };
    }

    @Override
    protected long storedEntries() {
      return 0;
    }
  }

  /**
   * The contract's tests in which no second owner takes the key: a backend that grants everything
   * passes them.
   */
  private static final Set<String> PASS_WITHOUT_EXCLUSION =
      Set.of(
          "aBodyOutlastingTheCooldownReleasesAsUsual()",
          "aLeaseIsInvalidAfterCloseAndClosingTwiceIsHarmless()",
          "aLostLeaseTurnsInvalidAndIsLoggedAtErrorWithoutDisturbingTheBody()",
          "callReturnsTheResultAndBodyExceptionsPropagateUnchangedAndRelease()",
          "leasesCanBeClosedFromAnotherThread()",
          "runReleasesSoTheNextCallerGetsIn()");

  /**
   * Two owners take turns, then eight threads race: without exclusion the race corrupts the token
   * list only when the threads happen to overlap, so this test may pass or fail here.
   */
  private static final String FAILS_WHEN_THREADS_OVERLAP =
      "fencingTokensStrictlyIncreaseAcrossSuccessiveOwners()";

  @Test
  void aBackendThatGrantsEveryAcquireFailsEveryTestThatInvolvesASecondOwner() {
    Events tests =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(GrantsEverything.class))
            .execute()
            .testEvents();

    Set<String> failed = names(tests.failed());
    Set<String> succeeded = names(tests.succeeded());
    long started = tests.started().count();
    System.out.println(
        failed.size()
            + " of "
            + started
            + " contract tests failed for a backend"
            + " that grants every acquire: "
            + new TreeSet<>(failed));
    assertEquals(30, started, "the contract's tests");
    assertEquals(started, succeeded.size() + failed.size(), "every test ran to an end");
    Set<String> passed = new TreeSet<>(succeeded);
    passed.remove(FAILS_WHEN_THREADS_OVERLAP);
    assertEquals(
        new TreeSet<>(PASS_WITHOUT_EXCLUSION),
        passed,
        "only the tests without a second owner pass");
    int expected = failed.contains(FAILS_WHEN_THREADS_OVERLAP) ? 24 : 23;
    assertEquals(expected, failed.size(), "failed: " + new TreeSet<>(failed));
    assertTrue(
        failed.containsAll(
            List.of(
                "duplicateFailsFastWithTheDefaultExceptionAndOneLogLine()",
                "sixteenThreadsOnFourKeysNeverOverlap()",
                "cooldownKeepsTheKeyUntilAcquisitionPlusTheInterval()")),
        failed.toString());
  }

  private static Set<String> names(Events events) {
    return events.stream()
        .map(Event::getTestDescriptor)
        .map(descriptor -> descriptor.getDisplayName())
        .collect(Collectors.toSet());
  }
}
