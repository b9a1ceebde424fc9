package dev.concurrencysafe.cdi.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.Redis;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Methods returning a CompletionStage hold the lock until the stage completes. */
class AsyncMethodTest {

  /** The work each call returns, completed by the test from another thread. */
  static final Map<String, CompletableFuture<String>> WORK = new ConcurrentHashMap<>();

  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();
  private TestContainer container;

  @ApplicationScoped
  public static class Reports {

    @Inject Reports self;

    /** A synchronous body holding lock:report:{id} that calls the async method with that key. */
    @ConcurrencySafe(key = "lock:report:{id}")
    public String regenerate(String id) {
      try {
        return "started " + self.generate(id).isDone();
      } catch (ConcurrencyException e) {
        return "refused: " + e.getMessage();
      }
    }

    @ConcurrencySafe(key = "lock:report:{id}", blockedMessage = "Report already running")
    public CompletableFuture<String> generate(String id) {
      return WORK.get(id);
    }

    @ConcurrencySafe(key = "lock:stage:{id}")
    public CompletionStage<String> stage(String id) {
      return WORK.get(id);
    }

    @ConcurrencySafe(key = "lock:broken:{id}")
    public CompletableFuture<String> broken(String id) {
      throw new IllegalStateException("failed before returning a stage: " + id);
    }
  }

  @BeforeEach
  void start() {
    WORK.clear();
    container =
        TestContainer.start(Map.of("concurrency-safe.redis.address", redis.uri()), Reports.class);
  }

  @AfterEach
  void stop() {
    WORK.values().forEach(work -> work.complete("test ended"));
    container.close();
  }

  @Test
  void lockIsHeldUntilTheStageCompletesAndReleasedByTheCompletingThread() throws Exception {
    Reports reports = container.bean(Reports.class);
    CompletableFuture<String> work = new CompletableFuture<>();
    WORK.put("r1", work);

    CompletableFuture<String> result = reports.generate("r1");
    assertFalse(result.isDone());
    assertTrue(Redis.exists(redis.server(), "{lock:report:r1}"), "held after the method returned");

    // The same thread again: an async call's lease must not be joined by its caller thread.
    ConcurrencyException sameThread =
        assertThrows(ConcurrencyException.class, () -> reports.generate("r1"));
    assertEquals("Report already running", sameThread.getMessage());
    CompletableFuture<Throwable> otherThread =
        CompletableFuture.supplyAsync(
            () -> assertThrows(ConcurrencyException.class, () -> reports.generate("r1")));
    assertEquals("Report already running", otherThread.get(10, TimeUnit.SECONDS).getMessage());
    assertTrue(
        Redis.exists(redis.server(), "{lock:report:r1}"), "still held while the work is pending");

    Thread completer = new Thread(() -> work.complete("report ready"), "completer");
    completer.start();
    assertEquals("report ready", result.get(10, TimeUnit.SECONDS));
    assertFalse(
        Redis.exists(redis.server(), "{lock:report:r1}"),
        "released before the caller saw completion");

    WORK.put("r1", new CompletableFuture<>());
    assertFalse(reports.generate("r1").isDone(), "a new call runs once the stage completed");
  }

  @Test
  void exceptionalCompletionReleasesAndPassesTheSameException() throws Exception {
    Reports reports = container.bean(Reports.class);
    CompletableFuture<String> work = new CompletableFuture<>();
    WORK.put("s1", work);
    CompletionStage<String> result = reports.stage("s1");
    assertTrue(Redis.exists(redis.server(), "{lock:stage:s1}"));

    IOException failure = new IOException("disk full");
    new Thread(() -> work.completeExceptionally(failure)).start();
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> result.toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertSame(failure, e.getCause());
    assertFalse(Redis.exists(redis.server(), "{lock:stage:s1}"));
  }

  @Test
  void cancellingTheReturnedFutureCancelsTheWorkAndReleases() throws Exception {
    Reports reports = container.bean(Reports.class);
    CompletableFuture<String> work = new CompletableFuture<>();
    WORK.put("c1", work);
    CompletableFuture<String> result = reports.generate("c1");
    assertTrue(result.cancel(true));
    assertTrue(work.isCancelled(), "cancellation reaches the method's own future");
    // the release runs on the common pool once the work completed (here: cancelled)
    Await.until(
        "the lock released after cancellation",
        Duration.ofSeconds(10),
        () -> !Redis.exists(redis.server(), "{lock:report:c1}"));
  }

  @Test
  void asyncCallInsideABodyHoldingTheSameKeyJoinsItByTheCoresReentrancyRule() {
    WORK.put("n1", new CompletableFuture<>());
    assertEquals("started false", container.bean(Reports.class).regenerate("n1"));
  }

  @Test
  void methodThrowingBeforeReturningAStageReleasesAtOnce() {
    Reports reports = container.bean(Reports.class);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> reports.broken("b1"));
    assertEquals("failed before returning a stage: b1", e.getMessage());
    assertFalse(Redis.exists(redis.server(), "{lock:broken:b1}"));
    assertThrows(
        IllegalStateException.class, () -> reports.broken("b1"), "not blocked by a leaked lock");
  }
}
