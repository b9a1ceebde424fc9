package dev.concurrencysafe;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import dev.concurrencysafe.internal.Checks;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: a static facade over a default {@link LockManager}.
 *
 * <pre>{@code
 * Locks.setDefault(LockManager.redisson(redissonClient));   // once, at startup
 * Locks.with("lock:refresh:" + userId).cooldown(Duration.ofMinutes(10)).run(this::refresh);
 * }</pre>
 *
 * <p>Inside a CDI application the concurrency-safe CDI extension installs the default itself.
 *
 * <p>Thread-safety: thread-safe.
 */
@CheckReturnValue
public final class Locks {

  private static final AtomicReference<@Nullable LockManager> DEFAULT = new AtomicReference<>();

  private Locks() {}

  /** A spec for a literal key on the default manager. See {@link LockManager#with(String)}. */
  public static LockSpec with(String key) {
    return getDefault().with(key);
  }

  /**
   * A spec for a catalog key on the default manager. See {@link LockManager#with(LockKey,
   * Object...)}.
   */
  public static LockSpec with(LockKey key, @Nullable Object... args) {
    return getDefault().with(key, args);
  }

  /** Installs the default manager, replacing any previous one (which is not closed). */
  public static void setDefault(LockManager manager) {
    DEFAULT.set(Checks.notNull(manager, "manager"));
  }

  /**
   * Removes the default manager if it is {@code manager}; returns whether it was. For containers
   * that installed a default and shut down.
   */
  @CanIgnoreReturnValue
  public static boolean clearDefault(LockManager manager) {
    return DEFAULT.compareAndSet(manager, null);
  }

  /**
   * The default manager.
   *
   * @throws IllegalStateException if none was installed, saying how to install one
   */
  public static LockManager getDefault() {
    LockManager manager = DEFAULT.get();
    if (manager == null) {
      throw new IllegalStateException(
          "no default LockManager: call "
              + "Locks.setDefault(LockManager.redisson(redissonClient)) at startup "
              + "(or LockManager.inMemory() in tests), or add concurrency-safe-cdi to a CDI application");
    }
    return manager;
  }
}
