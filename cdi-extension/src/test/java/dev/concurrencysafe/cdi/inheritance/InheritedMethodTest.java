package dev.concurrencysafe.cdi.inheritance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisServer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One inherited method, two beans with different class-level settings: each keeps its own. */
class InheritedMethodTest {

  public abstract static class Worker {
    public String work(String id) {
      return getClass().getSuperclass().getSimpleName() + " worked " + id;
    }
  }

  @ApplicationScoped
  @ConcurrencySafe(key = "lock:a:{id}", blockedMessage = "A is busy")
  public static class WorkerA extends Worker {}

  @ApplicationScoped
  @ConcurrencySafe(key = "lock:b:{id}", blockedMessage = "B is busy")
  public static class WorkerB extends Worker {}

  @Test
  void eachBeanUsesItsOwnKeyAndMessage() {
    try (RedisServer redis = RedisServer.start();
        TestContainer container =
            TestContainer.start(
                Map.of(
                    "concurrency-safe.redis.address",
                    redis.uri(),
                    WorkerB.class.getName() + "/ConcurrencySafe/waitTimeout",
                    "0ms"),
                WorkerA.class,
                WorkerB.class)) {
      redis.command("SET", "{lock:a:1}", "someone-else", "PX", "60000");
      redis.command("SET", "{lock:b:2}", "someone-else", "PX", "60000");
      WorkerA a = container.bean(WorkerA.class);
      WorkerB b = container.bean(WorkerB.class);
      assertEquals(
          "A is busy", assertThrows(ConcurrencyException.class, () -> a.work("1")).getMessage());
      assertEquals(
          "B is busy", assertThrows(ConcurrencyException.class, () -> b.work("2")).getMessage());
      assertEquals("WorkerA worked 2", a.work("2"), "A's key for 2 is free");
      assertEquals("WorkerB worked 1", b.work("1"), "B's key for 1 is free");
    }
  }
}
