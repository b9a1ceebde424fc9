package dev.concurrencysafe.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.LockBackend;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The suite catches a backend that does not exclude: a third backend that grants every acquire
 * (as a store with a broken "set if absent" would) fails it, on the tests that check exclusion.
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
          return CompletableFuture.completedFuture(AcquireResult.acquired(tokens.incrementAndGet()));
        }
      };
    }

    @Override
    protected long storedEntries() {
      return 0;
    }
  }

  @Test
  void aBackendThatGrantsEveryAcquireFailsTheExclusionTests() {
    Events tests = EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(GrantsEverything.class))
        .execute()
        .testEvents();

    List<String> failed = tests.failed().stream()
        .map(Event::getTestDescriptor)
        .map(descriptor -> descriptor.getDisplayName())
        .toList();
    assertTrue(failed.contains("duplicateFailsFastWithTheDefaultExceptionAndOneLogLine()"), failed.toString());
    assertTrue(failed.contains("sixteenThreadsOnFourKeysNeverOverlap()"), failed.toString());
    assertTrue(failed.contains("cooldownKeepsTheKeyUntilAcquisitionPlusTheInterval()"), failed.toString());
    long started = tests.started().count();
    System.out.println(failed.size() + " of " + started + " contract tests failed for a backend"
        + " that grants every acquire: " + failed);
    assertEquals(started, tests.succeeded().count() + tests.failed().count(), "every test ran to an end");
    assertTrue(failed.size() >= 10, failed.size() + " of " + started + " failed: " + failed);
  }
}
