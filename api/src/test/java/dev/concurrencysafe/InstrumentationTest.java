package dev.concurrencysafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.spi.LockBackend;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.LogCapture;
import dev.concurrencysafe.testing.RedisExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * {@link LockInstrumentation} around every verb, on the in-memory store and on a real redis-server:
 * the order of its calls, the body's thread, one end with what the caller receives, composition,
 * and isolation from a failing hook.
 */
class InstrumentationTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
  private final ExecutorService pool =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "stage-completer");
            thread.setDaemon(true);
            return thread;
          });

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
    pool.shutdownNow();
  }

  /** Records every hook call of every lock call, with the thread where it happened. */
  static final class Recorder implements LockInstrumentation {
    final String name;
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<@Nullable Throwable> ends = new CopyOnWriteArrayList<>();
    volatile @Nullable String bodyThread;

    Recorder(String name) {
      this.name = name;
    }

    @Override
    public LockObservation start(LockCall call) {
      log.add(name + " start " + call.verb() + " " + call.keyName());
      return new LockObservation() {
        @Override
        public Scope enterBody() {
          bodyThread = Thread.currentThread().getName();
          log.add(name + " enter");
          return () -> log.add(name + " exit");
        }

        @Override
        public void onEvent(LockEvent event) {
          log.add(name + " " + event.type());
        }

        @Override
        public void end(@Nullable Throwable thrown) {
          ends.add(thrown);
          log.add(name + " end " + (thrown == null ? "-" : thrown.getClass().getSimpleName()));
        }
      };
    }
  }

  private LockManager manager(
      String store, Function<LockManagerBuilder, LockManagerBuilder> setup) {
    LockManagerBuilder builder = setup.apply(LockManager.builder().keyPrefix("instr:"));
    LockManager manager;
    if (store.equals("redis")) {
      Config config = new Config();
      config.useSingleServer().setAddress(redis.uri());
      RedissonClient client = Redisson.create(config);
      opened.add(client::shutdown);
      manager = builder.redisson(client);
    } else {
      manager = builder.inMemory();
    }
    opened.add(0, manager);
    return manager;
  }

  private LockManager manager(String store, Recorder... recorders) {
    return manager(
        store,
        builder -> {
          for (Recorder recorder : recorders) {
            builder.instrumentation(recorder);
          }
          return builder;
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void runAndCallSeeStartEventsBodyReleaseThenOneEnd(String store) throws Exception {
    Recorder r = new Recorder("r");
    LockManager locks = manager(store, r);
    locks.with("a").run(() -> r.log.add("body"));
    assertEquals(
        List.of(
            "r start run (literal)",
            "r ACQUIRED",
            "r enter",
            "body",
            "r exit",
            "r RELEASED",
            "r end -"),
        r.log);
    assertEquals(Thread.currentThread().getName(), r.bodyThread);

    r.log.clear();
    IOException failure = new IOException("the body's own");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                locks
                    .with("a")
                    .call(
                        () -> {
                          throw failure;
                        }));
    assertSame(failure, thrown);
    assertEquals(
        List.of(
            "r start call (literal)",
            "r ACQUIRED",
            "r enter",
            "r exit",
            "r RELEASED",
            "r end IOException"),
        r.log);
    assertSame(failure, r.ends.get(r.ends.size() - 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void aBusyKeyEndsWithTheRefusalOrNothingWhenSkipped(String store) {
    Recorder r = new Recorder("r");
    LockManager locks = manager(store, r);
    try (Lease held = locks.with("busy").acquire()) {
      r.log.clear();
      assertEquals(false, locks.with("busy").tryRun(() -> r.log.add("body")));
      assertEquals(Optional.empty(), locks.with("busy").tryCall(() -> "x"));
      ConcurrencyException refused =
          assertThrows(
              ConcurrencyException.class, () -> locks.with("busy").run(() -> r.log.add("body")));
      assertSame(refused, r.ends.get(r.ends.size() - 1));
      assertEquals(Optional.empty(), locks.with("busy").tryAcquire());
    }
    assertEquals(
        List.of(
            "r start tryRun (literal)",
            "r SKIPPED",
            "r end -",
            "r start tryCall (literal)",
            "r SKIPPED",
            "r end -",
            "r start run (literal)",
            "r BLOCKED",
            "r end ConcurrencyException",
            "r start tryAcquire (literal)",
            "r SKIPPED",
            "r end -",
            "r RELEASED",
            "r end -"),
        r.log);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void aLeaseVerbEndsWhenTheLeaseIsClosedAfterItsCooldown(String store) {
    Recorder r = new Recorder("r");
    LockManager locks = manager(store, r);
    Lease lease = locks.with(Key.JOB, 7).cooldown(Duration.ofSeconds(30)).acquire();
    assertEquals(List.of("r start acquire Key.JOB", "r ACQUIRED"), r.log, "not ended while held");
    lease.close();
    assertEquals(
        List.of(
            "r start acquire Key.JOB", "r ACQUIRED", "r RELEASED", "r COOLDOWN_STARTED", "r end -"),
        r.log);
  }

  enum Key implements LockKey {
    JOB;

    @Override
    public String pattern() {
      return "job:{id}";
    }

    @Override
    public Duration ttl() {
      return Duration.ofSeconds(10);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void callAsyncEntersTheBodyOnItsThreadAndEndsBeforeTheCallersStageCompletes(String store)
      throws Exception {
    Recorder r = new Recorder("r");
    LockManager locks = manager(store, r);
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<String> caller =
        locks
            .with("async")
            .callAsync(
                () -> {
                  r.log.add("body on " + Thread.currentThread().getName());
                  return work;
                })
            .toCompletableFuture();
    CompletableFuture<List<String>> seenAtCompletion = caller.thenApply(v -> List.copyOf(r.log));
    pool.execute(() -> work.complete("done"));
    assertEquals("done", caller.get(10, TimeUnit.SECONDS));
    String bodyThread = r.bodyThread;
    assertEquals(
        List.of(
            "r start callAsync (literal)",
            "r ACQUIRED",
            "r enter",
            "body on " + bodyThread,
            "r exit",
            "r RELEASED",
            "r end -"),
        seenAtCompletion.get(10, TimeUnit.SECONDS),
        "ended before the caller's stage completed");
    assertEquals(1, r.ends.size());

    r.log.clear();
    CompletionStage<Object> failing =
        locks
            .with("async")
            .callAsync(
                () -> CompletableFuture.failedFuture(new IllegalStateException("work failed")));
    CompletionException e =
        assertThrows(CompletionException.class, () -> failing.toCompletableFuture().join());
    assertSame(e.getCause(), r.ends.get(r.ends.size() - 1));
    assertEquals("r end IllegalStateException", r.log.get(r.log.size() - 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void theAsyncLeaseVerbsEndAtTheLeasesClose(String store) throws Exception {
    Recorder r = new Recorder("r");
    LockManager locks = manager(store, r);
    Lease lease = locks.with("al").acquireAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Optional<Lease> none =
        locks.with("al").tryAcquireAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(none.isEmpty());
    Optional<String> skipped =
        locks
            .with("al")
            .tryCallAsync(() -> CompletableFuture.completedFuture("x"))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertTrue(skipped.isEmpty());
    lease.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(
        List.of(
            "r start acquireAsync (literal)",
            "r ACQUIRED",
            "r start tryAcquireAsync (literal)",
            "r SKIPPED",
            "r end -",
            "r start tryCallAsync (literal)",
            "r SKIPPED",
            "r end -",
            "r RELEASED",
            "r end -"),
        r.log);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void severalInstrumentationsNestInRegistrationOrderWithListenersAmongThem(String store) {
    Recorder outer = new Recorder("outer");
    Recorder inner = new Recorder("inner");
    List<String> log = new CopyOnWriteArrayList<>();
    LockManager locks =
        manager(
            store,
            builder ->
                builder
                    .instrumentation(outer)
                    .listener(event -> log.add("listener " + event.type()))
                    .instrumentation(inner));
    locks.with("nest").run(() -> log.add("body"));
    assertEquals(
        List.of(
            "outer start run (literal)",
            "outer ACQUIRED",
            "outer enter",
            "outer exit",
            "outer RELEASED",
            "outer end -"),
        outer.log);
    assertEquals(
        List.of(
            "inner start run (literal)",
            "inner ACQUIRED",
            "inner enter",
            "inner exit",
            "inner RELEASED",
            "inner end -"),
        inner.log);
    assertEquals(List.of("listener ACQUIRED", "body", "listener RELEASED"), log);
    // one timeline: outer's before inner's on the way in, inner's first on the way out
    List<String> both = new CopyOnWriteArrayList<>();
    Recorder a = new Recorder("a");
    Recorder b = new Recorder("b");
    LockManager two =
        manager(
            store,
            builder ->
                builder
                    .instrumentation(
                        call -> {
                          LockObservation o = a.start(call);
                          both.add("a start");
                          return new Forwarding(o, "a", both);
                        })
                    .instrumentation(
                        call -> {
                          LockObservation o = b.start(call);
                          both.add("b start");
                          return new Forwarding(o, "b", both);
                        }));
    two.with("nest2").run(() -> both.add("body"));
    assertEquals(
        List.of(
            "a start",
            "b start",
            "a ACQUIRED",
            "b ACQUIRED",
            "a enter",
            "b enter",
            "body",
            "b exit",
            "a exit",
            "a RELEASED",
            "b RELEASED",
            "b end",
            "a end"),
        both);
  }

  /** Logs each hook call to one shared timeline. */
  private record Forwarding(LockObservation delegate, String name, List<String> timeline)
      implements LockObservation {
    @Override
    public Scope enterBody() {
      timeline.add(name + " enter");
      Scope scope = delegate.enterBody();
      return () -> {
        timeline.add(name + " exit");
        scope.close();
      };
    }

    @Override
    public void onEvent(LockEvent event) {
      timeline.add(name + " " + event.type());
    }

    @Override
    public void end(@Nullable Throwable thrown) {
      timeline.add(name + " end");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void aThrowingHookIsLoggedOnceAndNeverBreaksTheCall(String store) throws Exception {
    Recorder healthy = new Recorder("ok");
    LockInstrumentation broken =
        call ->
            new LockObservation() {
              @Override
              public Scope enterBody() {
                throw new IllegalStateException("enterBody broke");
              }

              @Override
              public void onEvent(LockEvent event) {
                throw new IllegalStateException("onEvent broke");
              }

              @Override
              public void end(@Nullable Throwable thrown) {
                throw new IllegalStateException("end broke");
              }
            };
    LockInstrumentation brokenStart =
        call -> {
          throw new IllegalStateException("start broke");
        };
    try (LogCapture logs = LogCapture.library()) {
      LockManager locks =
          manager(
              store,
              builder ->
                  builder
                      .instrumentation(brokenStart)
                      .instrumentation(broken)
                      .instrumentation(healthy));
      for (int i = 0; i < 3; i++) {
        assertEquals("ran", locks.with("hooked").call(() -> "ran"));
      }
      assertEquals(
          "async",
          locks
              .with("hooked")
              .callAsync(() -> CompletableFuture.completedFuture("async"))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS));
      assertEquals(4, healthy.ends.size());
      List<String> warnings = logs.messages(Level.WARNING);
      for (String hook :
          List.of(".start", ".enterBody", ".onEvent(ACQUIRED)", ".onEvent(RELEASED)", ".end")) {
        assertEquals(
            1,
            warnings.stream().filter(w -> w.contains(hook + " failed for key=hooked")).count(),
            hook + " once per interval in " + warnings);
      }
    }
  }

  @Test
  void aFailedRenewalIsReportedAsRenewalFailedBeforeTheEnd() throws Exception {
    Recorder r = new Recorder("r");
    LockBackend memory = LockManager.builder().inMemoryBackend();
    LockBackend failingRenewals = new RenewalsFail(memory);
    LockManager locks =
        LockManager.builder()
            .instrumentation(r)
            .unavailableTimeout(Duration.ofMillis(200))
            .backend(failingRenewals);
    opened.add(locks);
    List<LockEvent> events = new CopyOnWriteArrayList<>();
    try (Lease lease = locks.with("renew").ttl(Duration.ofMillis(600)).acquire()) {
      assertNotEquals(0, lease.fencingToken());
      LockManager observed = LockManager.builder().listener(events::add).backend(failingRenewals);
      opened.add(observed);
      try (Lease other = observed.with("renew-too").ttl(Duration.ofMillis(600)).acquire()) {
        Await.until(
            "a failed renewal reported",
            Duration.ofSeconds(10),
            () ->
                r.log.contains("r RENEWAL_FAILED")
                    && events.stream().anyMatch(e -> e.type() == LockEvent.Type.RENEWAL_FAILED));
      }
    }
    LockEvent failed =
        events.stream()
            .filter(e -> e.type() == LockEvent.Type.RENEWAL_FAILED)
            .findFirst()
            .orElseThrow();
    assertTrue(failed.error() instanceof IOException, String.valueOf(failed.error()));
    assertEquals("r start acquire (literal)", r.log.get(0));
    assertEquals("r end -", r.log.get(r.log.size() - 1));
    assertEquals(1, r.ends.size());
  }

  /** The in-memory store whose renewals fail like a dropped connection. */
  private static final class RenewalsFail extends ForwardingBackend {
    RenewalsFail(LockBackend delegate) {
      super(delegate);
    }

    @Override
    public CompletionStage<Boolean> renew(String key, String owner, long ttlMillis) {
      return CompletableFuture.failedFuture(new IOException("connection reset"));
    }
  }
}
