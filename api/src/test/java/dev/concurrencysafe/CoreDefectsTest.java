package dev.concurrencysafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.LockBackend;
import dev.concurrencysafe.spi.StoreRefusedException;
import dev.concurrencysafe.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** Behaviour that was wrong once, each checked through the public API. */
class CoreDefectsTest {

  @Test
  void aFencingRetentionOfZeroIsTheDefaultAndAccepted() {
    try (LockManager locks = LockManager.builder().fencingRetention(Duration.ZERO).inMemory()) {
      assertTrue(locks.with("zero").tryRun(() -> {}));
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> LockManager.builder().fencingRetention(Duration.ofMillis(-1)));
  }

  @Test
  void anInterruptWhileWaitingCancelsTheCallWithoutBlockedOrSkipped() throws Exception {
    List<LockEvent> events = new CopyOnWriteArrayList<>();
    AtomicBoolean factoryCalled = new AtomicBoolean();
    try (LockManager locks = LockManager.builder().listener(events::add).inMemory();
        Lease held = locks.with("interrupted").acquire()) {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicBoolean stillInterrupted = new AtomicBoolean();
      Thread waiter =
          new Thread(
              () -> {
                Thread.currentThread().interrupt();
                try {
                  locks
                      .with("interrupted")
                      .waitTimeout(Duration.ofSeconds(30))
                      .onBlocked(
                          message -> {
                            factoryCalled.set(true);
                            return new IllegalStateException(message);
                          })
                      .tryRun(() -> {});
                } catch (RuntimeException e) {
                  thrown.set(e);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              });
      waiter.start();
      waiter.join(30_000);
      assertTrue(thrown.get() instanceof CancellationException, String.valueOf(thrown.get()));
      assertTrue(stillInterrupted.get(), "the interrupt flag is kept");
      assertFalse(factoryCalled.get(), "not the spec's refusal");
      assertEquals(
          List.of(LockEvent.Type.ACQUIRED),
          events.stream().map(LockEvent::type).toList(),
          "neither BLOCKED nor SKIPPED");
      assertTrue(held.isValid());
    }
  }

  @Test
  void aRefusedReleaseIsLoggedOnceAndNotAsFailingClosed() {
    LockBackend memory = LockManager.builder().inMemoryBackend();
    LockBackend refusingReleases = new RefusingReleases(memory);
    try (LogCapture logs = LogCapture.library();
        LockManager locks = LockManager.builder().backend(refusingReleases)) {
      locks.with("refused-release").run(() -> {});
      List<String> warnings = logs.messages(Level.WARNING);
      assertEquals(
          1,
          warnings.stream().filter(w -> w.contains("refused-release")).count(),
          "one line per failed release: " + warnings);
      assertTrue(warnings.stream().noneMatch(w -> w.contains("fails closed")), warnings.toString());
    }
    memory.close();
  }

  @Test
  void whileTheStoreIsDownCallsAreToldItIsUnreachableNotThatItRefused() {
    LockBackend memory = LockManager.builder().inMemoryBackend();
    try (LockManager locks = LockManager.builder().backend(new Unreachable(memory))) {
      LockUnavailableException first =
          assertThrows(LockUnavailableException.class, () -> locks.with("down").run(() -> {}));
      assertTrue(first.getMessage().contains("connection refused"), first.getMessage());
      LockUnavailableException failingFast =
          assertThrows(LockUnavailableException.class, () -> locks.with("down").run(() -> {}));
      String message = failingFast.getMessage();
      assertTrue(message.contains("failing fast until a probe reaches it"), message);
      assertTrue(message.contains("unreachable for"), message);
      // only unreachability starts an outage: a store that refused a call is asked again
      assertFalse(message.contains("refused the call"), message);
    }
    memory.close();
  }

  /** A store no connection reaches: every call and probe fails with a transport failure. */
  private static final class Unreachable extends ForwardingBackend {
    Unreachable(LockBackend delegate) {
      super(delegate);
    }

    @Override
    public CompletionStage<AcquireResult> tryAcquire(String key, String owner, long ttlMillis) {
      return CompletableFuture.failedFuture(new java.net.ConnectException("connection refused"));
    }

    @Override
    public CompletionStage<Void> ping() {
      return CompletableFuture.failedFuture(new java.net.ConnectException("connection refused"));
    }

    @Override
    public boolean isUnreachable(Throwable error) {
      return error instanceof java.net.ConnectException;
    }
  }

  /** The in-memory store whose RELEASE is answered with an error reply (an ACL, say). */
  private static final class RefusingReleases extends ForwardingBackend {
    RefusingReleases(LockBackend delegate) {
      super(delegate);
    }

    @Override
    public CompletionStage<Boolean> release(String key, String owner, long keepMillis) {
      return CompletableFuture.failedFuture(
          new StoreRefusedException("NOPERM no permission", "grant the ACL"));
    }
  }
}
