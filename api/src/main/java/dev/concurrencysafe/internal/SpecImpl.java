package dev.concurrencysafe.internal;

import dev.concurrencysafe.CheckedCallable;
import dev.concurrencysafe.CheckedRunnable;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockObservation;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.integration.DurationLimits;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LockSpec} value: a {@link LockSettings} and the manager that runs it. Every setter
 * returns a new spec and leaves this one unchanged; every verb starts one call ({@link
 * LockEngine#begin}: the settings and the call's trace) and ends its trace with what the caller
 * receives.
 *
 * <p>Thread-safety: immutable; one spec may be shared and derived from by any number of threads.
 */
final class SpecImpl implements LockSpec {

  private final LockEngine engine;
  private final LockSettings settings;

  SpecImpl(LockEngine engine, LockSettings settings) {
    this.engine = engine;
    this.settings = settings;
  }

  LockSettings settings() {
    return settings;
  }

  LockEngine engine() {
    return engine;
  }

  @Override
  public String key() {
    return settings.key();
  }

  /** For logs and debuggers: the key and the settings (never a user's exception factory). */
  @Override
  public String toString() {
    return "LockSpec[key="
        + settings.key()
        + ", ttl="
        + settings.ttl()
        + ", waitTimeout="
        + settings.waitTimeout()
        + ", cooldown="
        + settings.cooldown()
        + (settings.failOpen() ? ", failOpen" : "")
        + "]";
  }

  @Override
  public LockSpec ttl(Duration ttl) {
    return with(settings.withTtl(DurationLimits.ttl(ttl, "ttl")));
  }

  @Override
  public LockSpec waitTimeout(Duration waitTimeout) {
    return with(settings.withWaitTimeout(DurationLimits.notNegative(waitTimeout, "waitTimeout")));
  }

  @Override
  public LockSpec cooldown(Duration cooldown) {
    return with(settings.withCooldown(DurationLimits.notNegative(cooldown, "cooldown")));
  }

  @Override
  public LockSpec onBlocked(Function<String, ? extends RuntimeException> exceptionFactory) {
    return with(
        settings.withOnBlocked(Checks.notNull(exceptionFactory, "onBlocked exceptionFactory")));
  }

  @Override
  public LockSpec blockedMessage(String message) {
    return with(settings.withBlockedMessage(Checks.notNull(message, "blockedMessage")));
  }

  @Override
  public LockSpec blockedLogLevel(System.Logger.Level level) {
    return with(settings.withBlockedLogLevel(Checks.notNull(level, "blockedLogLevel")));
  }

  @Override
  public LockSpec skipLogLevel(System.Logger.Level level) {
    return with(settings.withSkipLogLevel(Checks.notNull(level, "skipLogLevel")));
  }

  @Override
  public LockSpec failOpen() {
    return with(settings.withFailOpen());
  }

  SpecImpl with(LockSettings changed) {
    return new SpecImpl(engine, changed);
  }

  @Override
  public <E extends Exception> void run(CheckedRunnable<E> body) throws E {
    // the JDK's null check (same message as Checks.notNull): one class less on every call
    Objects.requireNonNull(body, "body must not be null");
    locked(
        begin("run", false),
        () -> {
          body.run();
          return Boolean.TRUE;
        },
        SpecImpl::notRun);
  }

  @Override
  public <T extends @Nullable Object, E extends Exception> T call(CheckedCallable<T, E> body)
      throws E {
    Objects.requireNonNull(body, "body must not be null");
    return locked(begin("call", false), body, SpecImpl::neverSkipped);
  }

  @Override
  public <E extends Exception> boolean tryRun(CheckedRunnable<E> body) throws E {
    Objects.requireNonNull(body, "body must not be null");
    return locked(
        begin("tryRun", true),
        () -> {
          body.run();
          return Boolean.TRUE;
        },
        SpecImpl::notRun);
  }

  @Override
  public <T, E extends Exception> Optional<T> tryCall(CheckedCallable<T, E> body) throws E {
    Objects.requireNonNull(body, "body must not be null");
    String key = settings.key();
    return locked(
        begin("tryCall", true),
        () -> Optional.of(AsyncCall.present(body.call(), "tryCall", key)),
        Optional::empty);
  }

  /**
   * The blocking verbs: acquires ({@code skipped} when a skip-when-busy call found the key held),
   * runs {@code body} with this thread as the holder (nested same-key calls join) and the
   * observations' context current, releases, and ends the trace with what the caller receives.
   */
  private <T extends @Nullable Object, E extends Exception> T locked(
      LockConfig config, CheckedCallable<T, E> body, Supplier<T> skipped) throws E {
    Throwable thrown = null;
    try {
      Lease lease = engine.acquire(config);
      if (lease == null) {
        return skipped.get();
      }
      try (lease) {
        LeaseImpl held = engine.enterBody(lease);
        try (LockObservation.Scope scope = config.trace().enterBody()) {
          return body.call();
        } finally {
          engine.exitBody(held);
        }
      }
    } catch (Throwable e) {
      thrown = e;
      throw e;
    } finally {
      config.trace().end(thrown);
    }
  }

  private static Boolean notRun() {
    return Boolean.FALSE;
  }

  private static <T> T neverSkipped() {
    throw new IllegalStateException("not a skipping verb");
  }

  @Override
  public <T extends @Nullable Object> CompletionStage<T> callAsync(
      CheckedCallable<? extends CompletionStage<T>, ? extends Exception> body) {
    Objects.requireNonNull(body, "body must not be null");
    LockConfig config = begin("callAsync", false);
    return AsyncCall.start(
        engine,
        engine.acquireAsync(config),
        config,
        body,
        "callAsync",
        value -> value,
        SpecImpl::neverSkipped);
  }

  @Override
  public <T> CompletionStage<Optional<T>> tryCallAsync(
      CheckedCallable<? extends CompletionStage<T>, ? extends Exception> body) {
    Objects.requireNonNull(body, "body must not be null");
    LockConfig config = begin("tryCallAsync", true);
    String key = settings.key();
    return AsyncCall.start(
        engine,
        engine.acquireAsync(config),
        config,
        body,
        "tryCallAsync",
        value -> Optional.of(AsyncCall.present(value, "tryCallAsync", key)),
        Optional::empty);
  }

  @Override
  public Lease acquire() {
    return Objects.requireNonNull(handOut(begin("acquire", false)));
  }

  @Override
  public Optional<Lease> tryAcquire() {
    return Optional.ofNullable(handOut(begin("tryAcquire", true)));
  }

  /** A lease for the caller to close: the call ends when it is closed (or now, if none). */
  private @Nullable Lease handOut(LockConfig config) {
    try {
      Lease lease = engine.acquire(config);
      config.trace().end(null);
      return lease;
    } catch (RuntimeException | Error e) {
      config.trace().end(e);
      throw e;
    }
  }

  @Override
  @SuppressWarnings("NullAway") // not skipping: the stage never completes with null
  public CompletionStage<Lease> acquireAsync() {
    LockConfig config = begin("acquireAsync", false);
    @SuppressWarnings("unchecked")
    CompletionStage<Lease> lease =
        (CompletionStage<Lease>)
            (CompletionStage<?>) AsyncCall.handOut(engine.acquireAsync(config), config.trace());
    return lease;
  }

  @Override
  public CompletionStage<Optional<Lease>> tryAcquireAsync() {
    LockConfig config = begin("tryAcquireAsync", true);
    return AsyncCall.optional(engine.acquireAsync(config), config.trace());
  }

  /** One call of {@code verb}: the settings snapshot and the call's trace, started now. */
  LockConfig begin(String verb, boolean skipWhenBusy) {
    return engine.begin(settings, verb, skipWhenBusy);
  }

  /** The acquisition of an integration's call (see {@link ObservedCallImpl}). */
  CompletableFuture<@Nullable Lease> acquireAsync(LockConfig config) {
    return engine.acquireAsync(config);
  }
}
