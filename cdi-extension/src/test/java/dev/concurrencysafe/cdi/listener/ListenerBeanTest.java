package dev.concurrencysafe.cdi.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisServer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** LockListener beans receive the events of the manager the extension builds. */
class ListenerBeanTest {

  static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  @ApplicationScoped
  public static class RecordingListener implements LockListener {
    @Override
    public void onEvent(LockEvent event) {
      EVENTS.add(event.type() + " " + event.keyName() + " " + event.key());
    }
  }

  @ApplicationScoped
  public static class Jobs {
    @ConcurrencySafe(key = "lock:job:{id}")
    public String run(String id) {
      return "ran " + id;
    }
  }

  @Test
  void listenerBeansSeeEventsWithThePatternAsKeyName() {
    try (RedisServer redis = RedisServer.start();
        TestContainer container =
            TestContainer.start(
                Map.of("concurrency-safe.redis.address", redis.uri()),
                Jobs.class,
                RecordingListener.class)) {
      container.bean(Jobs.class).run("7");
      redis.command("SET", "{lock:job:8}", "someone-else", "PX", "60000");
      assertThrows(ConcurrencyException.class, () -> container.bean(Jobs.class).run("8"));
      assertEquals(
          List.of(
              "ACQUIRED lock:job:{id} lock:job:7",
              "RELEASED lock:job:{id} lock:job:7",
              "BLOCKED lock:job:{id} lock:job:8"),
          EVENTS);
    }
  }
}
