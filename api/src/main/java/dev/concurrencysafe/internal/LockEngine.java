package dev.concurrencysafe.internal;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.spi.DurationLimits;
import dev.concurrencysafe.spi.HealthProbe;
import dev.concurrencysafe.spi.LockBackend;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LockManager}: its settings, its registries (open leases, wait queues,
 * instrumentations) and its lifecycle. It builds its parts once, passing each what it needs in its
 * constructor: the {@link StoreGateway} (the only way to the store), the two acquisitions ({@link
 * BlockingAcquisition}, {@link AsyncAcquisition}) over the shared {@link Outcomes}, and the renewal
 * scheduler. Specs start a call with {@link #begin} and acquire through it.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class LockEngine implements LockManager, HealthProbe {

  static final System.Logger LOG = System.getLogger("dev.concurrencysafe");

  /** The {@link dev.concurrencysafe.LockEvent#keyName()} of specs made from a literal key. */
  public static final String LITERAL_KEY_NAME = "(literal)";

  private static final String CLOSED_MESSAGE =
      "LockManager is closed: create a new one, or check"
          + " that the application did not use it after shutdown";

  /** "CacheKey.PURCHASE" per enum constant, built once: the name is a metric tag on every call. */
  private static final ClassValue<String[]> CATALOG_NAMES =
      new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> catalog) {
          return Arrays.stream(catalog.getEnumConstants())
              .map(constant -> catalog.getSimpleName() + "." + ((Enum<?>) constant).name())
              .toArray(String[]::new);
        }
      };

  private final ManagerSettings settings;
  private final ScheduledThreadPoolExecutor scheduler;
  private final String instanceId;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean shutDown = new AtomicBoolean();
  private final Leases leases;
  private final StoreGateway store;
  private final WaitQueues queues;
  private final Outcomes outcomes;
  private final BlockingAcquisition blocking;
  private final AsyncAcquisition.Parts async;
  private final Instrumentations instrumentations;
  private final RepeatedLines releaseFailureLines;
  private final RepeatedLines hookFailureLines;

  public LockEngine(LockBackend backend, ManagerSettings settings) {
    this.settings = settings;
    this.scheduler = renewalScheduler();
    Duration every = settings.repeatedLogInterval();
    this.releaseFailureLines = new RepeatedLines("failed releases", every, scheduler);
    this.hookFailureLines = new RepeatedLines("hook failures", every, scheduler);
    this.instrumentations =
        new Instrumentations(settings.instrumentations(), new HookFailures(hookFailureLines));
    this.store =
        new StoreGateway(
            backend,
            settings.unavailableTimeout(),
            scheduler,
            new RepeatedLines("calls refused by the store", every, scheduler));
    this.leases = new Leases(this::shutDown);
    this.queues = new WaitQueues(store);
    this.outcomes =
        new Outcomes(
            leases,
            new LeaseImpl.Parts(scheduler, store, releaseFailureLines, leases),
            every,
            scheduler);
    this.blocking = new BlockingAcquisition(store, queues, outcomes);
    // callers' stages complete on the common pool: their continuations run there
    this.async =
        new AsyncAcquisition.Parts(store, queues, outcomes, scheduler, ForkJoinPool.commonPool());
    byte[] random = new byte[9];
    new SecureRandom().nextBytes(random);
    this.instanceId = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private static ScheduledThreadPoolExecutor renewalScheduler() {
    ScheduledThreadPoolExecutor renewals =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
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
    renewals.scheduleWithFixedDelay(() -> {}, 1, 1, TimeUnit.SECONDS);
    return renewals;
  }

  @Override
  public LockSpec with(String key) {
    ensureOpen();
    // A literal key may embed user ids: it never becomes a metric tag (bounded, no personal data).
    return new SpecImpl(
        this, LockSettings.of(Checks.key(key), LITERAL_KEY_NAME, settings.defaultTtl()));
  }

  @Override
  public LockSpec with(LockKey key, @Nullable Object... args) {
    ensureOpen();
    Checks.notNull(key, "key");
    String formatted = format(key, args);
    String name = keyName(key);
    return new SpecImpl(
        this, LockSettings.of(formatted, name, DurationLimits.ttl(key.ttl(), name + ".ttl()")));
  }

  /** {@code base} with the key {@code key.format(args)} and its name; the rest kept. */
  LockSettings keyed(LockSettings base, LockKey key, @Nullable Object[] args) {
    Checks.notNull(key, "key");
    return base.withKey(format(key, args), keyName(key));
  }

  /** Not key.format(args): an override must not bypass escaping and the key checks. */
  private static String format(LockKey key, @Nullable Object[] args) {
    return KeyPattern.parse(key.pattern()).format(args);
  }

  private static String keyName(LockKey key) {
    return key instanceof Enum<?> e
        ? CATALOG_NAMES.get(e.getDeclaringClass())[e.ordinal()]
        : key.pattern();
  }

  /**
   * Bounded by the unavailable timeout; fails with a redacted {@link
   * dev.concurrencysafe.LockUnavailableException}.
   */
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
    leases.close();
  }

  private void shutDown() {
    if (shutDown.compareAndSet(false, true)) {
      queues.managerClosed(); // before their timers go
      scheduler.shutdownNow();
      outcomes.flush();
      store.flush();
      releaseFailureLines.flush();
      hookFailureLines.flush();
      store.close();
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
    CallTrace trace =
        instrumentations.start(
            spec.key(),
            spec.keyName(),
            spec.verbOr(verb),
            skipWhenBusy,
            spec.ttl(),
            spec.waitTimeout(),
            spec.cooldown());
    return new LockConfig(
        spec.key(),
        settings.keyPrefix() + spec.key(),
        spec.keyName(),
        spec.ttl(),
        spec.waitTimeout(),
        spec.cooldown(),
        factory,
        spec.blockedMessage(),
        spec.blockedLogLevel(),
        spec.skipLogLevel(),
        spec.failOpen(),
        skipWhenBusy,
        trace);
  }

  /**
   * Acquires on the caller's thread ({@link BlockingAcquisition}); a nested call for a key whose
   * body runs on this thread joins its lease. Null when a skip-when-busy call skipped.
   */
  @Nullable Lease acquire(LockConfig config) {
    ensureOpen();
    LeaseImpl outer = leases.heldByThisThread(config.key());
    if (outer != null) {
      return new JoinedLease(outer, config.trace());
    }
    return blocking.acquire(config, newOwner());
  }

  /**
   * The asynchronous {@link #acquire(LockConfig)}: no thread waits (see {@link AsyncAcquisition}).
   * The stage completes on the common pool with the lease, null when skipped, or the failure;
   * cancelling it stops the acquisition and leaves nothing behind.
   */
  CompletableFuture<@Nullable Lease> acquireAsync(LockConfig config) {
    if (leases.closed()) {
      return CompletableFuture.failedFuture(new IllegalStateException(CLOSED_MESSAGE));
    }
    LeaseImpl outer = leases.heldByThisThread(config.key());
    if (outer != null) {
      return CompletableFuture.completedFuture(new JoinedLease(outer, config.trace()));
    }
    return AsyncAcquisition.start(async, config, newOwner());
  }

  /** Makes this thread the holder of {@code lease} while a body runs (see {@link Leases}). */
  @Nullable LeaseImpl enterBody(Lease lease) {
    return leases.enterBody(lease);
  }

  void exitBody(@Nullable LeaseImpl held) {
    leases.exitBody(held);
  }

  /** Callers waiting for {@code key} in this manager (tests order arrivals with it). */
  int queuedFor(String key) {
    return queues.queuedFor(settings.keyPrefix() + key);
  }

  /** Keys somebody in this manager waits for (tests check that waits leave nothing behind). */
  int keysWaitedFor() {
    return queues.keysWaitedFor();
  }

  /** Whether the store is known to be down (tests watch the fail-fast mode end). */
  boolean storeKnownDown() {
    return store.knownDown();
  }

  private String newOwner() {
    return instanceId + ":" + sequence.incrementAndGet();
  }

  private void ensureOpen() {
    if (leases.closed()) {
      throw new IllegalStateException(CLOSED_MESSAGE);
    }
  }
}
