package dev.concurrencysafe.examples.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.LogCapture;
import dev.concurrencysafe.testing.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Three nodes (three managers on three Redisson clients, as three processes would have) fire the
 * same job every 200 ms for 5 s with a 1 s cooldown: the job runs once per second in total.
 */
class ClusterWideJobTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();

  @Test
  void threeNodesFiringEvery200msRunTheJobOncePerSecondNeverTwiceAtOnceAndWarnNothing()
      throws Exception {
    int nodes = 3;
    List<RedissonClient> clients = new ArrayList<>();
    List<LockManager> managers = new ArrayList<>();
    List<ClusterWideJob> jobs = new ArrayList<>();
    List<LockEvent> skips = new CopyOnWriteArrayList<>();
    AtomicInteger runs = new AtomicInteger();
    try (LogCapture log = LogCapture.all()) {
      for (int i = 0; i < nodes; i++) {
        Config config = new Config();
        config.useSingleServer().setAddress(redis.uri());
        RedissonClient client = Redisson.create(config);
        clients.add(client);
        managers.add(
            LockManager.builder()
                .listener(
                    event -> {
                      if (event.type() == LockEvent.Type.SKIPPED) {
                        skips.add(event);
                      }
                    })
                .redisson(client));
      }
      // The overlap detector: GET, work for 50 ms, SET, through each node's own client. Two runs
      // at once, on any two nodes, would lose an increment.
      long started = System.nanoTime();
      for (int i = 0; i < nodes; i++) {
        RBucket<String> counter =
            clients.get(i).getBucket("job-test:counter", StringCodec.INSTANCE);
        jobs.add(
            new ClusterWideJob(
                managers.get(i),
                "report",
                Duration.ofSeconds(1),
                Duration.ofMillis(200),
                () -> {
                  String seen = counter.get();
                  LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // the job's work
                  counter.set(Integer.toString((seen == null ? 0 : Integer.parseInt(seen)) + 1));
                  runs.incrementAndGet();
                }));
      }
      Await.until(
          "5 s of firing",
          Duration.ofSeconds(30),
          () -> System.nanoTime() - started >= TimeUnit.SECONDS.toNanos(5));
      for (ClusterWideJob job : jobs) {
        job.close();
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      int ran = runs.get();
      assertTrue(ran >= 4 && ran <= 6, ran + " runs in " + millis + " ms with a 1 s cooldown");
      assertEquals(
          Integer.toString(ran),
          redis.command("GET", "job-test:counter"),
          "the read-work-write counter lost an increment: two runs overlapped");
      assertTrue(skips.size() >= 40, "the other firings skipped: " + skips.size());
      List<String> loud = new ArrayList<>(log.messages(Level.WARNING));
      loud.addAll(log.messages(Level.SEVERE));
      assertEquals(List.of(), loud, "no exception and no warning for skips");
      System.out.printf("%d nodes, %d ms: %d runs, %d skips%n", nodes, millis, ran, skips.size());
    } finally {
      for (ClusterWideJob job : jobs) {
        job.close();
      }
      managers.forEach(LockManager::close);
      clients.forEach(RedissonClient::shutdown);
    }
  }
}
