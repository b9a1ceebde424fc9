package dev.concurrencysafe.cdi.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.LockCall;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockObservation;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisServer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * LockInstrumentation beans are registered on the manager the extension builds, and see every
 * intercepted call as verb "intercept": the synchronous path and the CompletionStage path, whose
 * call ends once the method's stage completed and the lock was released.
 */
class InstrumentationBeanTest {

  static final List<String> LOG = new CopyOnWriteArrayList<>();

  @ApplicationScoped
  public static class Recording implements LockInstrumentation {
    @Override
    public LockObservation start(LockCall call) {
      LOG.add("start " + call.verb() + " " + call.keyName());
      return new LockObservation() {
        @Override
        public Scope enterBody() {
          LOG.add("enter");
          return () -> LOG.add("exit");
        }

        @Override
        public void onEvent(LockEvent event) {
          LOG.add(event.type().name());
        }

        @Override
        public void end(@Nullable Throwable thrown) {
          LOG.add("end " + (thrown == null ? "-" : thrown.getClass().getSimpleName()));
        }
      };
    }
  }

  @ApplicationScoped
  public static class Jobs {
    @ConcurrencySafe(key = "lock:job:{id}")
    public String run(String id) {
      LOG.add("body " + id);
      return "ran " + id;
    }

    @ConcurrencySafe(key = "lock:later:{id}")
    public CompletionStage<String> later(String id, CompletableFuture<String> work) {
      LOG.add("body " + id);
      return work;
    }
  }

  @Test
  void instrumentationBeansSeeInterceptedCalls() throws Exception {
    try (RedisServer redis = RedisServer.start();
        TestContainer container =
            TestContainer.start(
                Map.of("concurrency-safe.redis.address", redis.uri()),
                Jobs.class,
                Recording.class)) {
      Jobs jobs = container.bean(Jobs.class);
      jobs.run("7");
      assertEquals(
          List.of(
              "start intercept lock:job:{id}",
              "ACQUIRED",
              "enter",
              "body 7",
              "exit",
              "RELEASED",
              "end -"),
          LOG);

      LOG.clear();
      redis.command("SET", "{lock:job:8}", "someone-else", "PX", "60000");
      assertThrows(ConcurrencyException.class, () -> jobs.run("8"));
      assertEquals(
          List.of("start intercept lock:job:{id}", "BLOCKED", "end ConcurrencyException"), LOG);

      LOG.clear();
      CompletableFuture<String> work = new CompletableFuture<>();
      CompletableFuture<String> caller = jobs.later("9", work).toCompletableFuture();
      assertEquals(
          List.of("start intercept lock:later:{id}", "ACQUIRED", "enter", "body 9", "exit"),
          LOG,
          "not ended while the method's stage runs");
      work.complete("done");
      assertEquals("done", caller.get(10, TimeUnit.SECONDS));
      assertEquals(
          List.of(
              "start intercept lock:later:{id}",
              "ACQUIRED",
              "enter",
              "body 9",
              "exit",
              "RELEASED",
              "end -"),
          LOG);
    }
  }
}
