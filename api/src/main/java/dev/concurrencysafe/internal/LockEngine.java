package dev.concurrencysafe.internal;

import dev.concurrencysafe.ConcurrencyException;
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
import dev.concurrencysafe.spi.Redaction;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
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
  static final String BLOCKED_LINE = "[concurrency-safe] blocked: key={0} is held elsewhere";
  private static final String CLOSED_MESSAGE = "LockManager is closed: create a new one, or check"
      + " that the application did not use it after shutdown";
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
  private final Instrumentations instrumentations;
  private final String instanceId;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean shutDown = new AtomicBoolean();
  private final StoreHealth health;
  private final Set<LeaseImpl> openLeases = ConcurrentHashMap.newKeySet();
  private final WaitQueues queues;
  /** Leases held by the current thread inside a body's dynamic extent, by key. */
  private final ThreadLocal<Map<String, LeaseImpl>> heldByThread =
      ThreadLocal.withInitial(java.util.HashMap::new);
  private final RepeatedLines releaseFailureLines;
  private final RepeatedLines hookFailureLines;
  private final Outcomes outcomes;
  private final StoreCalls store;

  public LockEngine(LockBackend backend, ManagerSettings settings) {
    this.backend = backend;
    this.settings = settings;
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
    this.releaseFailureLines = new RepeatedLines("failed releases", every, renewals);
    this.hookFailureLines = new RepeatedLines("hook failures", every, renewals);
    this.instrumentations = new Instrumentations(settings.instrumentations(),
        new HookFailures(hookFailureLines));
    this.health = new StoreHealth(backend, settings.unavailableTimeout(), renewals);
    this.outcomes = new Outcomes(backend, health, settings.unavailableTimeout(), every,
        renewals);
    this.store = new StoreCalls(health, outcomes, settings.unavailableTimeout(), renewals);
    this.queues = new WaitQueues(backend);
    byte[] random = new byte[9];
    new SecureRandom().nextBytes(random);
    this.instanceId = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  @Override
  public LockSpec with(String key) {
    ensureOpen();
    // A literal key may embed user ids: it never becomes a metric tag (bounded, no personal data).
    return new SpecImpl(this, LockSettings.of(Checks.key(key), LITERAL_KEY_NAME,
        settings.defaultTtl()));
  }

  @Override
  public LockSpec with(LockKey key, @Nullable Object... args) {
    ensureOpen();
    Checks.notNull(key, "key");
    // Not key.format(args): an override must not bypass escaping and the key checks.
    String formatted = KeyPattern.parse(key.pattern()).format(args);
    String name = key instanceof Enum<?> e ? CATALOG_NAMES.get(e.getDeclaringClass())[e.ordinal()]
        : key.pattern();
    return new SpecImpl(this, LockSettings.of(formatted, name,
        DurationLimits.ttl(key.ttl(), name + ".ttl()")));
  }

  LockBackend backend() {
    return backend;
  }

  /** Bounded by the unavailable timeout; fails with a redacted {@link LockUnavailableException}. */
  @Override
  public CompletionStage<Void> ping() {
    return backend.ping().toCompletableFuture().copy()
        .orTimeout(settings.unavailableTimeout().toNanos(), TimeUnit.NANOSECONDS)
        .exceptionally(error -> {
          Throwable cause = error instanceof java.util.concurrent.CompletionException
              && error.getCause() != null ? error.getCause() : error;
          String why = cause instanceof TimeoutException
              ? "no answer within " + settings.unavailableTimeout() : Redaction.describe(cause);
          throw new LockUnavailableException("(health probe)", "lock store unavailable: " + why,
              cause);
        });
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
      queues.managerClosed(); // before their timers go
      scheduler.shutdownNow();
      outcomes.flush();
      releaseFailureLines.flush();
      hookFailureLines.flush();
      backend.close();
    }
  }

  /**
   * One call of {@code verb} begins: the settings' snapshot with the call's trace, started on the
   * caller's thread.
   */
  LockConfig begin(LockSettings spec, String verb, boolean skipWhenBusy) {
    Function<String, ? extends RuntimeException> factory = spec.onBlocked();
    if (factory == null) {
      String key = spec.key();
      factory = message -> new ConcurrencyException(key, message);
    }
    CallTrace trace = instrumentations.start(spec.key(), spec.keyName(), spec.verbOr(verb),
        skipWhenBusy, spec.ttl(), spec.waitTimeout(), spec.cooldown());
    return new LockConfig(spec.key(), settings.keyPrefix() + spec.key(), spec.keyName(), spec.ttl(),
        spec.waitTimeout(), spec.cooldown(), factory, spec.blockedMessage(),
        spec.blockedLogLevel(), spec.skipLogLevel(), spec.failOpen(), skipWhenBusy, trace);
  }

  /**
   * Acquires, waiting up to the wait timeout. When the key stays held elsewhere: skipping, logs
   * the skip and returns null; otherwise throws the spec's refusal.
   */
  @Nullable Lease acquire(LockConfig config) {
    ensureOpen();
    LeaseImpl outer = heldByThread.get().get(config.key());
    if (outer != null && !outer.isClosed()) {
      return new JoinedLease(outer, config.trace());
    }
    String owner = newOwner();
    long started = System.nanoTime();
    long deadline = started + config.waitTimeout().toNanos();
    Attempt attempt;
    try {
      attempt = attempt(config, owner);
      if (!attempt.result().acquired() && !config.waitTimeout().isZero()) {
        attempt = awaitRelease(config, owner, deadline);
      }
    } catch (LockUnavailableException e) {
      return outcomes.failClosedOrOpen(config, started, e);
    } catch (InterruptedException e) {
      // The caller is being cancelled: it gives up like a caller whose wait ran out.
      Thread.currentThread().interrupt();
      throw outcomes.refuse(config, started, "[concurrency-safe] interrupted while acquiring key={0}");
    }
    if (!attempt.result().acquired()) {
      if (config.skipWhenBusy()) {
        outcomes.skipped(config, started);
        return null;
      }
      throw outcomes.refuse(config, started, BLOCKED_LINE);
    }
    return grant(config, owner, attempt.result().fencingToken(), attempt.sentAtNanos(), started);
  }

  /**
   * The asynchronous {@link #acquire(LockConfig)}: no thread waits (see {@link
   * AsyncAcquisition}). The stage completes on {@link #asyncExecutor()} with the lease, null when
   * skipped, or the failure; cancelling it stops the acquisition and leaves nothing behind.
   */
  CompletableFuture<@Nullable Lease> acquireAsync(LockConfig config) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException(CLOSED_MESSAGE));
    }
    LeaseImpl outer = heldByThread.get().get(config.key());
    if (outer != null && !outer.isClosed()) {
      return CompletableFuture.completedFuture(new JoinedLease(outer, config.trace()));
    }
    return AsyncAcquisition.start(this, config, newOwner());
  }

  private String newOwner() {
    return instanceId + ":" + sequence.incrementAndGet();
  }

  /** The lease for a successful ACQUIRE: renewing, reported, released again if the manager closed. */
  LeaseImpl grant(LockConfig config, String owner, long fencingToken, long sentAtNanos,
      long startedNanos) {
    LeaseImpl lease = new LeaseImpl(this, config, owner, fencingToken, sentAtNanos);
    openLeases.add(lease);
    lease.scheduleRenewal();
    if (closed.get()) {
      lease.closeAsync();
      throw new IllegalStateException("LockManager was closed while acquiring key '" + config.key()
          + "': the lock is being released again");
    }
    config.trace().publish(LockEvent.Type.ACQUIRED, lease.fencingToken(),
        System.nanoTime() - startedNanos, null);
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

  private Attempt attempt(LockConfig config, String owner) throws InterruptedException {
    health.failIfKnownDown(config.key());
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
    ParkedWaiter wakeUp = new ParkedWaiter();
    LocalWaiters waiters = queues.join(fullKey, wakeUp);
    try {
      store.await(waiters.subscription(), config);
      while (true) {
        wakeUp.forgetWakeUps();
        Attempt attempt = attempt(config, owner);
        long remaining = deadline - System.nanoTime();
        if (attempt.result().acquired() || remaining <= 0) {
          return attempt;
        }
        // A lost notification costs at most the holder's remaining ttl: re-check by then.
        long recheck = TimeUnit.MILLISECONDS.toNanos(attempt.result().remainingMillis() + 1);
        wakeUp.park(Math.min(remaining, recheck));
      }
    } finally {
      queues.leave(fullKey, waiters, wakeUp);
    }
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

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  Duration unavailableTimeout() {
    return settings.unavailableTimeout();
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException(CLOSED_MESSAGE);
    }
  }

  /** Where the blocking and the asynchronous paths wait for the store. */
  StoreCalls store() {
    return store;
  }

  /** This manager's queues of waiting callers. */
  WaitQueues queues() {
    return queues;
  }

  Outcomes outcomes() {
    return outcomes;
  }

  StoreHealth health() {
    return health;
  }

  /** Where the callers' asynchronous stages complete (their continuations run there). */
  Executor asyncExecutor() {
    return ForkJoinPool.commonPool();
  }

  private record Attempt(AcquireResult result, long sentAtNanos) {}
}
