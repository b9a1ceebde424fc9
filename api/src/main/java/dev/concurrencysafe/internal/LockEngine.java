package dev.concurrencysafe.internal;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockCall;
import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.spi.HealthProbe;
import dev.concurrencysafe.spi.LockBackend;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LockManager}: its settings, its registries and its lifecycle. It builds its parts
 * once, passing each what it needs in its constructor: the {@link StoreGateway} (the only way to
 * the store), the two acquisitions ({@link BlockingAcquisition}, {@link AsyncAcquisition}) with
 * their shared {@link Outcomes} for calls that end without a lease, and the renewal scheduler.
 * Specs start a call with {@link #begin} (the call's {@link CallTrace} from the manager's
 * instrumentations) and acquire through it.
 *
 * <p>The registries are kept here, not behind another object: the open leases (the manager shuts
 * down after the last one closes once it was closed) and, per thread, the leases whose body runs on
 * it, so that a nested call for the same key joins instead of deadlocking on itself. A lease from
 * {@code acquire()} does not make its thread the holder: it may be handed to other threads.
 *
 * <p>Thread-safety: thread-safe; the per-thread map is confined to its thread.
 */
public final class LockEngine implements LockManager, HealthProbe, LeaseRegistry {

  static final System.Logger LOG = System.getLogger("dev.concurrencysafe");

  /** The {@link dev.concurrencysafe.LockEvent#keyName()} of specs made from a literal key. */
  public static final String LITERAL_KEY_NAME = "(literal)";

  private static final String CLOSED_MESSAGE =
      "LockManager is closed: create a new one, or check"
          + " that the application did not use it after shutdown";

  private final ManagerSettings settings;
  private final ScheduledThreadPoolExecutor scheduler;
  private final String instanceId;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean shutDown = new AtomicBoolean();
  private final Set<LeaseImpl> open = ConcurrentHashMap.newKeySet();

  /** Leases whose body runs on the current thread, by key. */
  private final ThreadLocal<Map<String, LeaseImpl>> heldByThread =
      ThreadLocal.withInitial(HashMap::new);

  private final StoreGateway store;
  private final WaitQueues queues;
  private final Outcomes outcomes;
  private final BlockingAcquisition blocking;
  private final AsyncAcquisition.Parts async;
  private final LockInstrumentation[] instrumentations;

  /** Whether every instrumentation is a listener: then no {@link LockCall} is built per call. */
  private final boolean listenersOnly;

  private final HookFailures hookFailures;
  private final RepeatedLines releaseFailureLines;
  private final RepeatedLines hookFailureLines;

  public LockEngine(LockBackend backend, ManagerSettings settings) {
    this.settings = settings;
    this.scheduler = RenewalThread.start();
    Duration every = settings.repeatedLogInterval();
    this.releaseFailureLines = new RepeatedLines("failed releases", every, scheduler);
    this.hookFailureLines = new RepeatedLines("hook failures", every, scheduler);
    this.instrumentations = settings.instrumentations().toArray(new LockInstrumentation[0]);
    this.listenersOnly =
        settings.instrumentations().stream().allMatch(ListenerInstrumentation.class::isInstance);
    this.hookFailures = new HookFailures(hookFailureLines);
    this.store =
        new StoreGateway(
            backend,
            settings.unavailableTimeout(),
            scheduler,
            new RepeatedLines("calls refused by the store", every, scheduler));
    this.queues = new WaitQueues(store);
    this.outcomes = new Outcomes(every, scheduler);
    LeaseImpl.Parts leaseParts = new LeaseImpl.Parts(scheduler, store, releaseFailureLines, this);
    this.blocking = new BlockingAcquisition(store, queues, leaseParts, outcomes);
    // callers' stages complete on the common pool: their continuations run there
    this.async =
        new AsyncAcquisition.Parts(
            store, queues, leaseParts, outcomes, scheduler, ForkJoinPool.commonPool());
    byte[] random = new byte[9];
    new SecureRandom().nextBytes(random);
    this.instanceId = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
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
    return new SpecImpl(this, LockSettings.of(key, args));
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
    if (closed.compareAndSet(false, true) && open.isEmpty()) {
      shutDown();
    }
  }

  @Override
  public boolean opened(LeaseImpl lease) {
    open.add(lease);
    return !closed.get();
  }

  @Override
  public void closed(LeaseImpl lease) {
    open.remove(lease);
    if (closed.get() && open.isEmpty()) {
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
        instrumentations.length == 0
            ? CallTrace.NONE
            : CallTrace.start(
                instrumentations,
                hookFailures,
                listenersOnly
                    ? null
                    : new LockCall(
                        spec.key(),
                        spec.keyName(),
                        spec.verbOr(verb),
                        skipWhenBusy,
                        spec.ttl(),
                        spec.waitTimeout(),
                        spec.cooldown()),
                spec.key(),
                spec.keyName());
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
    LeaseImpl outer = heldByThisThread(config.key());
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
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException(CLOSED_MESSAGE));
    }
    LeaseImpl outer = heldByThisThread(config.key());
    if (outer != null) {
      return CompletableFuture.completedFuture(new JoinedLease(outer, config.trace()));
    }
    return AsyncAcquisition.start(async, config, newOwner());
  }

  /** The open lease for {@code key} whose body runs on this thread, or null. */
  private @Nullable LeaseImpl heldByThisThread(String key) {
    LeaseImpl outer = heldByThread.get().get(key);
    return outer != null && !outer.isClosed() ? outer : null;
  }

  /** Makes this thread the holder of {@code lease} while a body runs; returns what to exit. */
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
    if (closed.get()) {
      throw new IllegalStateException(CLOSED_MESSAGE);
    }
  }
}
