package dev.concurrencysafe.internal;

import dev.concurrencysafe.CheckedCallable;
import dev.concurrencysafe.CheckedRunnable;
import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.spi.DurationLimits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LockSpec} value: every setter returns a new spec and leaves this one unchanged.
 * Terminal verbs snapshot it into a {@link LockConfig}.
 *
 * <p>Thread-safety: immutable (all fields final, the exception factory is the caller's and is only
 * called, never changed); one spec may be shared and derived from by any number of threads.
 */
final class SpecImpl implements LockSpec {

  private final LockEngine engine;
  private final String key;
  private final String keyName;
  private final Duration ttl;
  private final Duration waitTimeout;
  private final Duration cooldown;
  private final @Nullable Function<String, ? extends RuntimeException> onBlocked;
  private final String blockedMessage;
  private final System.Logger.Level blockedLogLevel;
  private final boolean failOpen;

  SpecImpl(LockEngine engine, String key, String keyName, Duration ttl) {
    this(engine, key, keyName, ttl, Duration.ZERO, Duration.ZERO, null, DEFAULT_BLOCKED_MESSAGE,
        System.Logger.Level.WARNING, false);
  }

  private SpecImpl(LockEngine engine, String key, String keyName, Duration ttl, Duration waitTimeout,
      Duration cooldown, @Nullable Function<String, ? extends RuntimeException> onBlocked,
      String blockedMessage, System.Logger.Level blockedLogLevel, boolean failOpen) {
    this.engine = engine;
    this.key = key;
    this.keyName = keyName;
    this.ttl = ttl;
    this.waitTimeout = waitTimeout;
    this.cooldown = cooldown;
    this.onBlocked = onBlocked;
    this.blockedMessage = blockedMessage;
    this.blockedLogLevel = blockedLogLevel;
    this.failOpen = failOpen;
  }

  @Override
  public String key() {
    return key;
  }

  /** For logs and debuggers: the key and the settings (never a user's exception factory). */
  @Override
  public String toString() {
    return "LockSpec[key=" + key + ", ttl=" + ttl + ", waitTimeout=" + waitTimeout + ", cooldown="
        + cooldown + (failOpen ? ", failOpen" : "") + "]";
  }

  @Override
  public LockSpec ttl(Duration ttl) {
    return new SpecImpl(engine, key, keyName, DurationLimits.ttl(ttl, "ttl"), waitTimeout, cooldown,
        onBlocked, blockedMessage, blockedLogLevel, failOpen);
  }

  @Override
  public LockSpec waitTimeout(Duration waitTimeout) {
    return new SpecImpl(engine, key, keyName, ttl,
        DurationLimits.notNegative(waitTimeout, "waitTimeout"), cooldown, onBlocked, blockedMessage,
        blockedLogLevel, failOpen);
  }

  @Override
  public LockSpec cooldown(Duration cooldown) {
    return new SpecImpl(engine, key, keyName, ttl, waitTimeout,
        DurationLimits.notNegative(cooldown, "cooldown"), onBlocked, blockedMessage,
        blockedLogLevel, failOpen);
  }

  @Override
  public LockSpec onBlocked(Function<String, ? extends RuntimeException> exceptionFactory) {
    return new SpecImpl(engine, key, keyName, ttl, waitTimeout, cooldown,
        Checks.notNull(exceptionFactory, "onBlocked exceptionFactory"), blockedMessage,
        blockedLogLevel, failOpen);
  }

  @Override
  public LockSpec blockedMessage(String message) {
    return new SpecImpl(engine, key, keyName, ttl, waitTimeout, cooldown, onBlocked,
        Checks.notNull(message, "blockedMessage"), blockedLogLevel, failOpen);
  }

  @Override
  public LockSpec blockedLogLevel(System.Logger.Level level) {
    return new SpecImpl(engine, key, keyName, ttl, waitTimeout, cooldown, onBlocked,
        blockedMessage, Checks.notNull(level, "blockedLogLevel"), failOpen);
  }

  @Override
  public LockSpec failOpen() {
    return new SpecImpl(engine, key, keyName, ttl, waitTimeout, cooldown, onBlocked,
        blockedMessage, blockedLogLevel, true);
  }

  @Override
  public <E extends Exception> void run(CheckedRunnable<E> body) throws E {
    Checks.notNull(body, "body");
    try (Lease lease = acquire()) {
      LeaseImpl held = engine.enterBody(lease);
      try {
        body.run();
      } finally {
        engine.exitBody(held);
      }
    }
  }

  @Override
  public <T extends @Nullable Object, E extends Exception> T call(CheckedCallable<T, E> body) throws E {
    Checks.notNull(body, "body");
    try (Lease lease = acquire()) {
      return insideBody(lease, body);
    }
  }

  /** Runs {@code body} with this thread as the lease's holder, so nested same-key calls join it. */
  private <T extends @Nullable Object, E extends Exception> T insideBody(Lease lease,
      CheckedCallable<T, E> body) throws E {
    LeaseImpl held = engine.enterBody(lease);
    try {
      return body.call();
    } finally {
      engine.exitBody(held);
    }
  }

  @Override
  public <T extends @Nullable Object, E extends Exception> CompletionStage<T> callAsync(
      CheckedCallable<? extends CompletionStage<T>, E> body) throws E {
    Checks.notNull(body, "body");
    Lease lease = acquire();
    CompletionStage<T> stage;
    try {
      stage = insideBody(lease, body);
    } catch (Exception | Error e) {
      lease.close();
      throw e;
    }
    if (stage == null) {
      lease.close();
      throw new NullPointerException("body must return a CompletionStage, but returned null");
    }
    // Release without blocking whatever thread completes the stage (maybe an event loop), and
    // complete the caller's stage only after the release, so an immediate retry is not refused.
    CompletableFuture<T> released = new CompletableFuture<>();
    if (stage instanceof CompletableFuture<?> work) {
      // cancelling the caller's stage cancels the work, whose completion then releases the lock
      released.whenComplete((result, error) -> {
        if (released.isCancelled()) {
          work.cancel(true);
        }
      });
    }
    stage.whenComplete((result, error) -> releaseAsync(lease).whenComplete((ignored, never) -> {
      if (error != null) {
        released.completeExceptionally(error);
      } else {
        released.complete(result);
      }
    }));
    return released;
  }

  private static CompletableFuture<Void> releaseAsync(Lease lease) {
    if (lease instanceof LeaseImpl held) {
      return held.closeAsync();
    }
    lease.close();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Lease acquire() {
    return engine.acquire(snapshot());
  }

  private LockConfig snapshot() {
    Function<String, ? extends RuntimeException> factory = onBlocked;
    if (factory == null) {
      String k = key;
      factory = message -> new ConcurrencyException(k, message);
    }
    return new LockConfig(key, engine.storeKey(key), keyName, ttl, waitTimeout, cooldown, factory,
        blockedMessage, blockedLogLevel, failOpen);
  }
}
