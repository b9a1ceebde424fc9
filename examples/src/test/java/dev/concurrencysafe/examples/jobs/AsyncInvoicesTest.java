package dev.concurrencysafe.examples.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.examples.jobs.AsyncInvoices.Invoice;
import dev.concurrencysafe.testing.RedisExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** 50 concurrent asynchronous requests for one order: one invoice, everyone gets it. */
class AsyncInvoicesTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();

  private static final Executor FIVE_MS_LATER =
      CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS);

  /** Invoices the backend issued: read, pause, write, so overlapping issues would both count 1. */
  private int issuedCount;

  @Test
  void fiftyConcurrentRequestsForOneOrderIssueOneInvoice() throws Exception {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.uri());
    RedissonClient client = Redisson.create(config);
    try (LockManager locks = LockManager.redisson(client)) {
      AsyncInvoices invoices =
          new AsyncInvoices(
              locks,
              orderId -> {
                int seen = issuedCount;
                return CompletableFuture.supplyAsync(
                    () -> {
                      issuedCount = seen + 1;
                      return new Invoice(orderId, seen + 1);
                    },
                    FIVE_MS_LATER);
              });
      List<CompletableFuture<Invoice>> requests = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        requests.add(invoices.invoiceFor("order-7").toCompletableFuture());
      }
      HashSet<Invoice> received = new HashSet<>();
      for (CompletableFuture<Invoice> request : requests) {
        received.add(request.get(60, TimeUnit.SECONDS));
      }
      assertEquals(1, issuedCount, "issued once");
      assertEquals(1, received.size(), "every request got the same invoice: " + received);
      assertEquals("0", redis.command("EXISTS", "{lock:invoice:order-7}"));
    } finally {
      client.shutdown();
    }
  }
}
