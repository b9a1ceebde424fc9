package dev.concurrencysafe.cdi.duplicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.KeyParam;
import dev.concurrencysafe.cdi.testing.Redis;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisExtension;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Concurrent duplicate calls: exactly one runs, the others get the configured exception. */
class DuplicateCallTest {

  static final int DUPLICATES = 8;
  static final List<String> RAN = Collections.synchronizedList(new ArrayList<>());
  static volatile CountDownLatch entered = new CountDownLatch(1);
  static volatile CountDownLatch release = new CountDownLatch(1);

  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();
  private TestContainer container;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  public static class PurchaseInProgress extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PurchaseInProgress(String message) {
      super(message);
    }
  }

  public record Order(String customerId, long number) {}

  @ApplicationScoped
  public static class TicketOffice {

    @ConcurrencySafe(
        key = "lock:purchase:{userId}:{ticketId}",
        blockedMessage = "Your purchase is already being processed.",
        exception = PurchaseInProgress.class)
    public String purchase(String userId, long ticketId) throws InterruptedException {
      RAN.add(userId + "/" + ticketId);
      entered.countDown();
      if (userId.startsWith("holder")) {
        release.await();
      }
      return "receipt " + ticketId;
    }

    @ConcurrencySafe(key = "lock:refresh:{order.customerId}")
    public int refresh(@KeyParam("order") Order anyName) throws InterruptedException {
      RAN.add(anyName.customerId());
      entered.countDown();
      release.await();
      return 1;
    }
  }

  @BeforeEach
  void start() {
    RAN.clear();
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
    container =
        TestContainer.start(
            Map.of("concurrency-safe.redis.address", redis.uri()), TicketOffice.class);
  }

  @AfterEach
  void stop() {
    release.countDown();
    pool.shutdownNow();
    container.close();
  }

  @Test
  void concurrentDuplicatesAreRejectedWithTheConfiguredExceptionWhileOneRuns() throws Exception {
    TicketOffice office = container.bean(TicketOffice.class);
    Future<String> first = pool.submit(() -> office.purchase("holder:1", 7));
    assertTrue(entered.await(10, TimeUnit.SECONDS), "first call entered the body");

    // Escaped exactly as the DSL escapes it ("holder:1" -> "holder%3A1"), and really in Redis.
    String key = pattern("lock:purchase:{userId}:{ticketId}").format("holder:1", 7L);
    assertEquals("lock:purchase:holder%3A1:7", key);
    assertTrue(
        Redis.exists(redis.server(), "{" + key + "}"), "lock key is in Redis while the body runs");

    List<Future<String>> duplicates =
        startTogether(DUPLICATES, () -> office.purchase("holder:1", 7));
    for (Future<String> duplicate : duplicates) {
      ExecutionException e = expectFailure(duplicate);
      PurchaseInProgress blocked = assertInstanceOf(PurchaseInProgress.class, e.getCause());
      assertEquals("Your purchase is already being processed.", blocked.getMessage());
    }
    assertEquals(List.of("holder:1/7"), RAN, "only the first call ran the body");

    // Another key (other arguments) is not blocked by the held one.
    assertEquals("receipt 8", office.purchase("other", 8));

    release.countDown();
    assertEquals("receipt 7", first.get(10, TimeUnit.SECONDS));
    assertTrue(!Redis.exists(redis.server(), "{" + key + "}"), "lock released after the body");
    assertEquals("receipt 7", office.purchase("again", 7), "runs again once released");
  }

  @Test
  void propertyPathKeyWithKeyParamAndTheDefaultException() throws Exception {
    TicketOffice office = container.bean(TicketOffice.class);
    Future<Integer> first = pool.submit(() -> office.refresh(new Order("c/1", 1)));
    assertTrue(entered.await(10, TimeUnit.SECONDS));
    assertTrue(
        Redis.exists(redis.server(), "{lock:refresh:c%2F1}"),
        "key built from order.customerId, escaped");

    // Same customer, different order: the same key, so blocked with the core's exception.
    List<Future<Integer>> duplicates =
        startTogether(DUPLICATES, () -> office.refresh(new Order("c/1", 2)));
    for (Future<Integer> duplicate : duplicates) {
      ConcurrencyException blocked =
          assertInstanceOf(ConcurrencyException.class, expectFailure(duplicate).getCause());
      assertEquals(LockSpec.DEFAULT_BLOCKED_MESSAGE, blocked.getMessage());
      assertEquals("lock:refresh:c%2F1", blocked.key());
    }
    assertEquals(List.of("c/1"), RAN);
    release.countDown();
    assertEquals(1, first.get(10, TimeUnit.SECONDS));
  }

  @Test
  void refusalsAreLoggedOncePerIntervalAndEveryTimeWithARepeatedLogIntervalOf0s() throws Exception {
    assertEquals(1, blockedLines("default"), "the default 10 s interval logs the first refusal");
    container.close();
    container =
        TestContainer.start(
            Map.of(
                "concurrency-safe.redis.address",
                redis.uri(),
                "concurrency-safe.repeated-log-interval",
                "0s"),
            TicketOffice.class);
    assertEquals(DUPLICATES, blockedLines("zero"), "repeated-log-interval=0s logs every refusal");
  }

  /** Holds a purchase, sends the duplicates, and counts the "blocked" WARNING lines they wrote. */
  private long blockedLines(String user) throws Exception {
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
    TicketOffice office = container.bean(TicketOffice.class);
    Future<String> holder = pool.submit(() -> office.purchase("holder-" + user, 9));
    assertTrue(entered.await(10, TimeUnit.SECONDS), "the holder entered the body");
    try (dev.concurrencysafe.testing.LogCapture log =
        dev.concurrencysafe.testing.LogCapture.library()) {
      for (Future<String> duplicate :
          startTogether(DUPLICATES, () -> office.purchase("holder-" + user, 9))) {
        assertInstanceOf(PurchaseInProgress.class, expectFailure(duplicate).getCause());
      }
      return log.messages(java.util.logging.Level.WARNING).stream()
          .filter(line -> line.contains("blocked: key=lock:purchase:holder-" + user))
          .count();
    } finally {
      release.countDown();
      assertEquals("receipt 9", holder.get(10, TimeUnit.SECONDS));
    }
  }

  private <T> List<Future<T>> startTogether(int count, Callable<T> call) {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(
          pool.submit(
              () -> {
                go.await();
                return call.call();
              }));
    }
    go.countDown();
    return futures;
  }

  private static ExecutionException expectFailure(Future<?> future) throws Exception {
    try {
      Object value = future.get(10, TimeUnit.SECONDS);
      return fail("a duplicate ran instead of being rejected, returning " + value);
    } catch (ExecutionException e) {
      return e;
    }
  }

  private static LockKey pattern(String pattern) {
    return new LockKey() {
      @Override
      public String pattern() {
        return pattern;
      }

      @Override
      public Duration ttl() {
        return Duration.ofSeconds(10);
      }
    };
  }
}
