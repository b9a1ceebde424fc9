package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockUnavailableException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Whether the lock store is known to be unreachable, and finding out fast.
 *
 * <p>Finding out: a call whose answer takes longer than {@link #SUSPECT_AFTER} starts a probe (the
 * backend's {@code LockBackend.probe()}, sent by the {@link StoreGateway}: one attempt, no
 * client-side retries, one probe at a time) and waits for its own answer or the verdict, whichever
 * comes first. A probe that finds the store unreachable (a refused connection fails it in ~1 ms,
 * while the client's own retries would hold the call for the whole {@code unavailableTimeout})
 * marks the store down and releases every waiting call at once; so does a call that got no answer
 * within the bound (a frozen server).
 *
 * <p>While down: each acquisition joins the probe in flight for at most {@link #PROBE_WAIT} and
 * fails closed unless it answered, instead of holding its thread for the bound. A probe starts when
 * a call arrives and the last one started at least {@link #PROBE_GAP} ago, and every {@link
 * #PROBE_INTERVAL} without calls; the first successful probe or call ends the outage, so the first
 * call after the store came back goes through. A store that answered with a refusal (an ACL, too
 * few replicas) is not "down": only unreachability counts.
 *
 * <p>Thread-safety: thread-safe.
 */
final class StoreHealth {

  /** A call without an answer after this long starts a probe (normal answers take ~0.1 ms). */
  static final Duration SUSPECT_AFTER = Duration.ofMillis(100);

  /** How long a call waits for the probe it joined while down: a refused connection fails fast. */
  static final Duration PROBE_WAIT = Duration.ofMillis(20);

  /** The least time between probes started by calls: bounds connect attempts to a dead host. */
  static final Duration PROBE_GAP = Duration.ofMillis(10);

  /** Between probes while no call arrives, so that recovery is noticed (and logged) anyway. */
  static final Duration PROBE_INTERVAL = Duration.ofMillis(100);

  /** One probe of the store, bounded by the gateway. */
  private final Supplier<CompletableFuture<Void>> probeOnce;

  /** The gateway's verdict: why a failure means unreachable, or null for a refusal. */
  private final Function<Throwable, @Nullable String> unreachableReason;

  private final ScheduledExecutorService scheduler;
  private final AtomicReference<@Nullable Outage> outage = new AtomicReference<>();

  /** Completes when the store is found unreachable; replaced when it is reachable again. */
  private volatile CompletableFuture<Void> wentDown = new CompletableFuture<>();

  /** The probe in flight or the last one; guarded by {@code this} for starting a new one. */
  private @Nullable CompletableFuture<Void> probe;

  private long probeStartedNanos;
  private final AtomicBoolean backgroundProbeDue = new AtomicBoolean();

  StoreHealth(
      Supplier<CompletableFuture<Void>> probeOnce,
      Function<Throwable, @Nullable String> unreachableReason,
      ScheduledExecutorService scheduler) {
    this.probeOnce = probeOnce;
    this.unreachableReason = unreachableReason;
    this.scheduler = scheduler;
  }

  /**
   * Returns at once while the store is reachable. While it is known down, waits at most {@link
   * #PROBE_WAIT} for a probe and returns if it answered; otherwise throws the fail-fast {@link
   * LockUnavailableException} for {@code key}.
   */
  void failIfKnownDown(String key) throws InterruptedException {
    Outage current = outage.get();
    if (current == null) {
      return;
    }
    CompletableFuture<Void> joined = probe(PROBE_GAP);
    if (joined != null) {
      try {
        joined.get(PROBE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException stillDown) {
        // fail fast below
      }
    }
    if (outage.get() != null) {
      throw current.refusal(key);
    }
  }

  /**
   * {@link #failIfKnownDown} without blocking: completes at once while the store is reachable;
   * while it is known down, once the probe answered (at most {@link #PROBE_WAIT}, by a timer),
   * failing with the fail-fast {@link LockUnavailableException} if the store is still down.
   */
  CompletableFuture<Void> checkAsync(String key) {
    Outage current = outage.get();
    if (current == null) {
      return REACHABLE;
    }
    CompletableFuture<Void> joined = probe(PROBE_GAP);
    CompletableFuture<Void> answered =
        joined == null
            ? REACHABLE
            : NoAnswer.within(joined, PROBE_WAIT, scheduler).exceptionally(stillDown -> null);
    return answered.thenRun(
        () -> {
          if (outage.get() != null) {
            throw current.refusal(key);
          }
        });
  }

  private static final CompletableFuture<Void> REACHABLE = CompletableFuture.completedFuture(null);

  boolean knownDown() {
    return outage.get() != null;
  }

  /**
   * A call has had no answer for {@link #SUSPECT_AFTER}: starts a probe (unless one is in flight or
   * started within that time) and returns the stage that completes if the store is found down.
   */
  CompletableFuture<Void> suspect() {
    CompletableFuture<Void> verdict = wentDown;
    probe(SUSPECT_AFTER);
    return verdict;
  }

  /** Why the store is down, for calls released by the verdict. */
  String outageReason() {
    Outage current = outage.get();
    return current == null ? "unreachable" : current.why();
  }

  /** A call found the store unreachable: from now on calls fail fast until a probe succeeds. */
  void unreachable(String why) {
    Outage started = new Outage(System.nanoTime(), why);
    if (outage.compareAndSet(null, started)) {
      LockEngine.LOG.log(
          Level.WARNING,
          "[concurrency-safe] lock store unreachable ({0}): calls fail"
              + " closed at once with LockUnavailableException (failOpen() specs run without the lock)"
              + " while one probe at a time checks for recovery",
          why);
      wentDown.complete(null);
      scheduleProbe();
    }
  }

  /** A call or probe got an answer. */
  void reachable() {
    Outage ended = outage.get();
    if (ended != null && outage.compareAndSet(ended, null)) {
      wentDown = new CompletableFuture<>();
      LockEngine.LOG.log(
          Level.INFO,
          "[concurrency-safe] lock store reachable again after {0} ms",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ended.sinceNanos));
    }
  }

  /**
   * The probe in flight; else a new one if the last started at least {@code gap} ago; else null.
   * The returned stage completes after the outage state was updated.
   */
  private synchronized @Nullable CompletableFuture<Void> probe(Duration gap) {
    CompletableFuture<Void> last = probe;
    if (last != null && !last.isDone()) {
      return last;
    }
    long now = System.nanoTime();
    if (last != null && now - probeStartedNanos < gap.toNanos()) {
      return null;
    }
    probeStartedNanos = now;
    CompletableFuture<Void> started =
        probeOnce
            .get()
            .whenComplete(
                (ok, error) -> {
                  if (error == null) {
                    reachable();
                    return;
                  }
                  String why = unreachableReason.apply(NoAnswer.unwrap(error));
                  if (why != null) {
                    unreachable(why);
                  }
                  if (knownDown()) {
                    scheduleProbe();
                  }
                });
    probe = started;
    return started;
  }

  private void scheduleProbe() {
    if (!backgroundProbeDue.compareAndSet(false, true)) {
      return;
    }
    try {
      scheduler.schedule(
          () -> {
            backgroundProbeDue.set(false);
            // a call may have probed meanwhile: then wait another interval, so the chain never ends
            if (knownDown() && probe(PROBE_INTERVAL) == null) {
              scheduleProbe();
            }
          },
          PROBE_INTERVAL.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shutDown) {
      // the manager closed: nobody is left to fail fast for
    }
  }

  /** Since when, and why, the store is unreachable. */
  private record Outage(long sinceNanos, String why) {
    LockUnavailableException refusal(String key) {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
      return new LockUnavailableException(
          key,
          "lock store unavailable for key '"
              + key
              + "': unreachable for "
              + millis
              + " ms ("
              + why
              + "); failing fast until a probe reaches it again",
          null);
    }
  }
}
