package dev.concurrencysafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.concurrencysafe.integration.ObservedCall;
import dev.concurrencysafe.testing.RedisExtension;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * An integration's asynchronous acquisition (the Kotlin suspending verbs, the CDI interceptor's
 * async methods) that does not get the lock has ended its call before its caller hears of it: the
 * caller's own continuation, attached after the acquisition started, sees the call ended, so an
 * instrumentation's span is closed before the caller moves on.
 */
class ObservedCallOrderTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  private final List<@Nullable Throwable> ends = new CopyOnWriteArrayList<>();
  private final LockInstrumentation recorder =
      call ->
          new LockObservation() {
            @Override
            public void end(@Nullable Throwable thrown) {
              ends.add(thrown);
            }
          };

  @Test
  void aRefusalOrASkipHasEndedTheCallBeforeTheCallerContinues() throws Exception {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.uri());
    RedissonClient client = Redisson.create(config);
    try (LockManager manager = LockManager.builder().instrumentation(recorder).redisson(client);
        Lease held = manager.with("order:busy").acquire()) {
      ends.clear();
      for (int round = 1; round <= 20; round++) {
        ObservedCall refused = ObservedCall.start(manager.with("order:busy"), "runAsync", false);
        CompletableFuture<Integer> endsSeenOnRefusal =
            refused.acquireAsync().handle((lease, error) -> ends.size());
        assertEquals(2 * round - 1, endsSeenOnRefusal.get(10, TimeUnit.SECONDS));

        ObservedCall skipped = ObservedCall.start(manager.with("order:busy"), "tryRunAsync", true);
        CompletableFuture<@Nullable Lease> skipping = skipped.acquireAsync();
        CompletableFuture<Integer> endsSeenOnSkip = skipping.thenApply(lease -> ends.size());
        assertEquals(2 * round, endsSeenOnSkip.get(10, TimeUnit.SECONDS));
        assertNull(skipping.get());
      }
      assertInstanceOf(ConcurrencyException.class, ends.get(0));
      assertNull(ends.get(1));
    } finally {
      client.shutdown();
    }
  }
}
