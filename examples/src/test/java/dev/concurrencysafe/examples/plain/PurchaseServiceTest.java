package dev.concurrencysafe.examples.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PurchaseServiceTest {

  @RegisterExtension static final RunningExample example = new RunningExample();

  @Test
  void concurrentPurchasesWaitForEachOtherAndGetIncreasingTokens() throws Exception {
    FencedStore orders = new FencedStore();
    PurchaseService service = new PurchaseService(orders);
    int buyers = 5;
    ExecutorService pool = Executors.newFixedThreadPool(buyers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Long>> tokens = new ArrayList<>();
      for (int i = 0; i < buyers; i++) {
        tokens.add(
            pool.submit(
                () -> {
                  go.await();
                  return service.purchase("user-1", "ticket-9");
                }));
      }
      go.countDown();
      List<Long> seen = new ArrayList<>();
      for (Future<Long> token : tokens) {
        seen.add(token.get(10, TimeUnit.SECONDS)); // none refused: each waited its turn
      }
      assertEquals(buyers, seen.stream().distinct().count(), "one token per holder: " + seen);
      long highest = seen.stream().mapToLong(Long::longValue).max().orElseThrow();
      assertEquals("purchased with token " + highest, orders.read("user-1/ticket-9"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theLeaseIsReleasedWhenTheTryBlockEnds() {
    PurchaseService service = new PurchaseService(new FencedStore());
    long first = service.purchase("user-2", "ticket-1");
    long second = service.purchase("user-2", "ticket-1");
    assertTrue(second > first, first + " then " + second);
    // Only the fencing counter stays behind; the lock key itself is gone.
    assertEquals("", example.redis().command("KEYS", "*purchase*user-2*ticket-1}"));
  }

  @Test
  void theStoreRejectsAStaleToken() {
    FencedStore store = new FencedStore();
    assertTrue(store.write("order", 2, "new"));
    assertEquals(false, store.write("order", 1, "stale"));
    assertEquals("new", store.read("order"));
  }
}
