package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.DurationLimits;
import dev.concurrencysafe.spi.HealthProbe;
import dev.concurrencysafe.spi.LockBackend;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The one lock engine behind every {@link LockManager}: fail fast, waiting, renewal, reentrancy,
 * cooldown and time bounds, over any {@link LockBackend}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class LockEngine implements LockManager, HealthProbe {

  static final System.Logger LOG = System.getLogger("dev.concurrencysafe");
  /** The {@link LockEvent#keyName()} of specs made from a literal key. */
  public static final String LITERAL_KEY_NAME = "(literal)";
  /** "CacheKey.PURCHASE" per enum constant, built once: the name is a metric tag on every call. */
  private static final ClassValue<String[]> CATALOG_NAMES = new ClassValue<>() {
    @Override
    protected String[] computeValue(Class<?> catalog) {
      return java.util.Arrays.stream(catalog.getEnumConstants())
          .map(constant -> catalog.getSimpleName() + "." + ((Enum<?>) constant).name())
          .toArray(String[]::new);
    }
  };

  private final LockBackend backend;
  private final ManagerSettings settings;
  private final ScheduledExecutorService scheduler;
  private final Events events;
  private final String instanceId;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean shutDown = new AtomicBoolean();
  private final StoreCalls store;
  private final Set<LeaseImpl> openLeases = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, LocalWaiters> waiting = new ConcurrentHashMap<>();
  /** Leases held by the current thread inside a body's dynamic extent, by key. */
  private final ThreadLocal<Map<String, LeaseImpl>> heldByThread =
      ThreadLocal.withInitial(java.util.HashMap::new);
  private final RepeatedLines refusalLines;
  private final RepeatedLines unprotectedLines;
  private final RepeatedLines releaseFailureLines;

  public LockEngine(LockBackend backend, ManagerSettings settings) {
    this.backend = backend;
    this.settings = settings;
    this.events = new Events(settings.listeners());
    ScheduledThreadPoolExecutor renewals = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "concurrency-safe-renewal");
      thread.setDaemon(true);
      return thread;
    });
    // a closed lease's renewal must leave the queue at once, not linger until ttl/3
    renewals.setRemoveOnCancelPolicy(true);
    // A no-op task that is always due within a second stays at the head of the queue, so that a
    // lease's first renewal (ttl/3 away, 3.3 s by default) never becomes the new head: scheduling
    // it then does not wake the renewal thread, and cancelling it at release does not either. That
    // wake-up (a futex call and a context switch per acquisition) was a measurable part of the
    // client CPU per lock cycle.
    renewals.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.SECONDS);
    this.scheduler = renewals;
    Duration every = settings.repeatedLogInterval();
    this.refusalLines = new RepeatedLines("refusals", every, renewals);
    this.unprotectedLines = new RepeatedLines("runs without the lock (failOpen)", every, renewals);
    this.releaseFailureLines = new RepeatedLines("failed releases", every, renewals);
    this.store = new StoreCalls(backend, settings.unavailableTimeout(), renewals, every);
    byte[] random = new byte[9];
    new SecureRandom().nextBytes(random);
    this.instanceId = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  @Override
  public LockSpec with(String key) {
    ensureOpen();
    // A literal key may embed user ids: it never becomes a metric tag (bounded, no personal data).
    return new SpecImpl(this, Checks.key(key), LITERAL_KEY_NAME, settings.defaultTtl());
  }

  @Override
  public LockSpec with(LockKey key, @Nullable Object... args) {
    ensureOpen();
    Checks.notNull(key, "key");
    // Not key.format(args): an override must not bypass escaping and the key checks.
    String formatted = KeyPattern.parse(key.pattern()).format(args);
    String name = key instanceof Enum<?> e ? CATALOG_NAMES.get(e.getDeclaringClass())[e.ordinal()]
        : key.pattern();
    return new SpecImpl(this, formatted, name, DurationLimits.ttl(key.ttl(), name + ".ttl()"));
  }

  LockBackend backend() {
    return backend;
  }

  /** Bounded by the unavailable timeout; fails with a redacted {@link LockUnavailableException}. */
  @Override
  public CompletionStage<Void> ping() {
    return store.ping();
  }

  /**
   * Refuses new specs. Leases still open keep renewing until their bodies end (releasing them now
   * would let a duplicate in while they run); the renewal thread and the backend stop after the
   * last one closes.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && openLeases.isEmpty()) {
      shutDown();
    }
  }

  private void shutDown() {
    if (shutDown.compareAndSet(false, true)) {
      scheduler.shutdownNow();
      refusalLines.flush();
      unprotectedLines.flush();
      releaseFailureLines.flush();
      store.flushLines();
      backend.close();
    }
  }

  Lease acquire(LockConfig config) {
    ensureOpen();
    LeaseImpl outer = heldByThread.get().get(config.key());
    if (outer != null && !outer.isClosed()) {
      return new JoinedLease(outer);
    }
    String owner = instanceId + ":" + sequence.incrementAndGet();
    long started = System.nanoTime();
    long deadline = started + config.waitTimeout().toNanos();
    Attempt attempt;
    try {
      attempt = tryAcquire(config, owner);
      if (!attempt.result().acquired() && !config.waitTimeout().isZero()) {
        attempt = awaitRelease(config, owner, deadline);
      }
    } catch (LockUnavailableException e) {
      events.publish(LockEvent.Type.UNAVAILABLE, config, 0, System.nanoTime() - started, e);
      if (config.failOpen()) {
        unprotectedLines.log(Level.WARNING, config.keyName(), "[concurrency-safe] store unreachable"
            + " for key={0}: running WITHOUT the lock because the spec opted into failOpen()",
            config.key());
        return new UnprotectedLease(config.key());
      }
      throw e;
    } catch (InterruptedException e) {
      // The caller is being cancelled: it gives up like a caller whose wait ran out.
      Thread.currentThread().interrupt();
      throw refuse(config, started, "[concurrency-safe] interrupted while acquiring key={0}");
    }
    if (!attempt.result().acquired()) {
      throw refuse(config, started, "[concurrency-safe] blocked: key={0} is held elsewhere");
    }
    LeaseImpl lease = new LeaseImpl(this, config, owner,
        attempt.result().fencingToken(), attempt.sentAtNanos());
    openLeases.add(lease);
    lease.scheduleRenewal();
    if (closed.get()) {
      lease.close();
      throw new IllegalStateException("LockManager was closed while acquiring key '" + config.key()
          + "': the lock was released again");
    }
    events.publish(LockEvent.Type.ACQUIRED, config, lease.fencingToken(),
        System.nanoTime() - started, null);
    return lease;
  }

  /**
   * Makes the current thread the holder of {@code lease} while a body runs, so that nested
   * {@code with(sameKey)} calls join it. Returns what {@link #exitBody} needs.
   */
  @Nullable LeaseImpl enterBody(Lease lease) {
    if (lease instanceof LeaseImpl held) {
      heldByThread.get().put(held.key(), held);
      return held;
    }
    return null;
  }

  void exitBody(@Nullable LeaseImpl held) {
    if (held != null) {
      heldByThread.get().remove(held.key(), held);
    }
  }

  private Attempt tryAcquire(LockConfig config, String owner) throws InterruptedException {
    store.failIfKnownDown(config.key());
    String fullKey = config.storeKey();
    long sentAt = System.nanoTime();
    CompletionStage<AcquireResult> stage =
        backend.tryAcquire(fullKey, owner, config.ttl().toMillis());
    try {
      return new Attempt(store.await(stage, config), sentAt);
    } catch (LockUnavailableException | InterruptedException e) {
      // The command may still reach Redis after we gave up: give back whatever it took.
      stage.thenAccept(late -> {
        if (late.acquired()) {
          backend.release(fullKey, owner, 0);
        }
      });
      throw e;
    }
  }

  private Attempt awaitRelease(LockConfig config, String owner, long deadline)
      throws InterruptedException {
    String fullKey = config.storeKey();
    Semaphore wakeUp = new Semaphore(0);
    LocalWaiters waiters = join(fullKey, wakeUp);
    try {
      store.await(waiters.subscription(), config);
      while (true) {
        wakeUp.drainPermits();
        Attempt attempt = tryAcquire(config, owner);
        long remaining = deadline - System.nanoTime();
        if (attempt.result().acquired() || remaining <= 0) {
          return attempt;
        }
        // A lost notification costs at most the holder's remaining ttl: re-check by then.
        long recheck = TimeUnit.MILLISECONDS.toNanos(attempt.result().remainingMillis() + 1);
        wakeUp.tryAcquire(Math.min(remaining, recheck), TimeUnit.NANOSECONDS);
      }
    } finally {
      leave(fullKey, waiters, wakeUp);
    }
  }

  private LocalWaiters join(String fullKey, Semaphore wakeUp) {
    return waiting.compute(fullKey, (key, current) -> {
      LocalWaiters waiters = current != null
          ? current : new LocalWaiters(onRelease -> backend.subscribe(key, onRelease));
      waiters.add(wakeUp);
      return waiters;
    });
  }

  private void leave(String fullKey, LocalWaiters waiters, Semaphore wakeUp) {
    waiting.computeIfPresent(fullKey,
        (key, current) -> current == waiters && waiters.remove(wakeUp) ? null : current);
  }

  /** Logs the one refusal line, reports BLOCKED and builds the spec's exception. */
  private RuntimeException refuse(LockConfig config, long started, String logMessage) {
    long waited = System.nanoTime() - started; // before logging: writing the line is not waiting
    refusalLines.log(config.blockedLogLevel(), config.keyName(), logMessage, config.key());
    events.publish(LockEvent.Type.BLOCKED, config, 0, waited, null);
    RuntimeException exception = config.onBlocked().apply(config.blockedMessage());
    if (exception == null) {
      return new NullPointerException("onBlocked factory must return an exception, but returned null"
          + " for key '" + config.key() + "'");
    }
    return exception;
  }

  String storeKey(String key) {
    return settings.keyPrefix() + key;
  }

  void forget(LeaseImpl lease) {
    openLeases.remove(lease);
    if (closed.get() && openLeases.isEmpty()) {
      shutDown();
    }
  }

  /** The "could not release" lines, at most one per key name and interval plus a summary. */
  RepeatedLines releaseFailureLines() {
    return releaseFailureLines;
  }

  /** Every wait for the store: bounded, failing fast while it is known down. */
  StoreCalls store() {
    return store;
  }

  Events events() {
    return events;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  Duration unavailableTimeout() {
    return settings.unavailableTimeout();
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("LockManager is closed: create a new one, or check that the"
          + " application did not use it after shutdown");
    }
  }

  private record Attempt(AcquireResult result, long sentAtNanos) {}
}
