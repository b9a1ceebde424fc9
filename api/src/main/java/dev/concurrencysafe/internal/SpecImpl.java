package dev.concurrencysafe.internal;

import dev.concurrencysafe.CheckedCallable;
import dev.concurrencysafe.CheckedRunnable;
import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.spi.DurationLimits;
import java.time.Duration;
import java.util.Optional;
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
  private final System.Logger.Level skipLogLevel;
  private final boolean failOpen;

  SpecImpl(LockEngine engine, String key, String keyName, Duration ttl) {
    this(engine, key, keyName, ttl, Duration.ZERO, Duration.ZERO, null, DEFAULT_BLOCKED_MESSAGE,
        System.Logger.Level.WARNING, System.Logger.Level.DEBUG, false);
  }

  private SpecImpl(LockEngine engine, String key, String keyName, Duration ttl, Duration waitTimeout,
      Duration cooldown, @Nullable Function<String, ? extends RuntimeException> onBlocked,
      String blockedMessage, System.Logger.Level blockedLogLevel, System.Logger.Level skipLogLevel,
      boolean failOpen) {
    this.engine = engine;
    this.key = key;
    this.keyName = keyName;
    this.ttl = ttl;
    this.waitTimeout = waitTimeout;
    this.cooldown = cooldown;
    this.onBlocked = onBlocked;
    this.blockedMessage = blockedMessage;
    this.blockedLogLevel = blockedLogLevel;
    this.skipLogLevel = skipLogLevel;
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
        onBlocked, blockedMessage, blockedLogLevel, skipLogLevel, failOpen);
  }

  @Override
  public LockSpec waitTimeout(Duration waitTimeout) {
    return new SpecImpl(engine, key, keyName, ttl,
        DurationLimits.notNegative(waitTimeout, "waitTimeout"), cooldown, onBlocked, blockedMessage,
        blockedLogLevel, skipLogLevel, failOpen);
  }

  @Override
  public LockSpec cooldown(Duration cooldown) {
    return new SpecImpl(engine, key, keyName, ttl, waitTimeout,
        DurationLimits.notNegative(cooldown, "cooldown"), onBlocked, blockedMessage,
        blockedLogLevel, skipLogLevel, failOpen);
  }

  @Override
  public LockSpec onBlocked(Function<String, ? extends RuntimeException> exceptionFactory) {
    return new SpecImpl(engine, key, keyName, ttl, waitTimeout, cooldown,
        Checks.notNull(exceptionFactory, "onBlocked exceptionFactory"), blockedMessage,
        blockedLogLevel, skipLogLevel, failOpen);
  }

  @Override
  public LockSpec blockedMessage(String message) {
    return new SpecImpl(engine, key, keyName, ttl, waitTimeout, cooldown, onBlocked,
        Checks.notNull(message, "blockedMessage"), blockedLogLevel, skipLogLevel, failOpen);
  }

  @Override
  public LockSpec blockedLogLevel(System.Logger.Level level) {
    return new SpecImpl(engine, key, keyName, ttl, waitTimeout, cooldown, onBlocked,
        blockedMessage, Checks.notNull(level, "blockedLogLevel"), skipLogLevel, failOpen);
  }

  @Override
  public LockSpec skipLogLevel(System.Logger.Level level) {
    return new SpecImpl(engine, key, keyName, ttl, waitTimeout, cooldown, onBlocked,
        blockedMessage, blockedLogLevel, Checks.notNull(level, "skipLogLevel"), failOpen);
  }

  @Override
  public LockSpec failOpen() {
    return new SpecImpl(engine, key, keyName, ttl, waitTimeout, cooldown, onBlocked,
        blockedMessage, blockedLogLevel, skipLogLevel, true);
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
  public <E extends Exception> boolean tryRun(CheckedRunnable<E> body) throws E {
    Checks.notNull(body, "body");
    Lease lease = engine.acquire(snapshot(), true);
    if (lease == null) {
      return false;
    }
    try (lease) {
      LeaseImpl held = engine.enterBody(lease);
      try {
        body.run();
      } finally {
        engine.exitBody(held);
      }
    }
    return true;
  }

  @Override
  public <T, E extends Exception> Optional<T> tryCall(CheckedCallable<T, E> body) throws E {
    Checks.notNull(body, "body");
    Lease lease = engine.acquire(snapshot(), true);
    if (lease == null) {
      return Optional.empty();
    }
    T result;
    try (lease) {
      result = insideBody(lease, body);
    }
    return Optional.of(AsyncCall.present(result, "tryCall", key));
  }

  @Override
  public <T extends @Nullable Object> CompletionStage<T> callAsync(
      CheckedCallable<? extends CompletionStage<T>, ? extends Exception> body) {
    Checks.notNull(body, "body");
    return AsyncCall.start(engine, engine.acquireAsync(snapshot(), false), body, key,
        "callAsync", value -> value, () -> {
          throw new IllegalStateException("not a skipping verb");
        });
  }

  @Override
  public <T> CompletionStage<Optional<T>> tryCallAsync(
      CheckedCallable<? extends CompletionStage<T>, ? extends Exception> body) {
    Checks.notNull(body, "body");
    return AsyncCall.start(engine, engine.acquireAsync(snapshot(), true), body, key,
        "tryCallAsync", value -> Optional.of(AsyncCall.present(value, "tryCallAsync", key)),
        Optional::empty);
  }

  @Override
  public Lease acquire() {
    return engine.acquire(snapshot());
  }

  @Override
  public Optional<Lease> tryAcquire() {
    return Optional.ofNullable(engine.acquire(snapshot(), true));
  }

  @Override
  @SuppressWarnings("NullAway") // not skipping: the stage never completes with null
  public CompletionStage<Lease> acquireAsync() {
    @SuppressWarnings("unchecked")
    CompletionStage<Lease> lease = (CompletionStage<Lease>) (CompletionStage<?>)
        engine.acquireAsync(snapshot(), false);
    return lease;
  }

  @Override
  public CompletionStage<Optional<Lease>> tryAcquireAsync() {
    return AsyncCall.optional(engine.acquireAsync(snapshot(), true));
  }

  private LockConfig snapshot() {
    Function<String, ? extends RuntimeException> factory = onBlocked;
    if (factory == null) {
      String k = key;
      factory = message -> new ConcurrencyException(k, message);
    }
    return new LockConfig(key, engine.storeKey(key), keyName, ttl, waitTimeout, cooldown, factory,
        blockedMessage, blockedLogLevel, skipLogLevel, failOpen);
  }
}
