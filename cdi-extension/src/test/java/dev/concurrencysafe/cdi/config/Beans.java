package dev.concurrencysafe.cdi.config;

import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InterceptorBinding;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.function.Supplier;

/** Beans whose bodies report what the test asks (a PTTL read in Redis while the lock is held). */
final class Beans {

  /** What a body returns: set by the test before the call. */
  static volatile Supplier<Long> probe = () -> 0L;

  /** What the {@link Observed} interceptor saw: whether the lock key existed when it ran. */
  static volatile Supplier<Boolean> observer = () -> false;

  static volatile Boolean observedLockHeld;

  private Beans() {}

  enum Keys implements LockKey {
    REFRESH("lock:refresh:{userId}", Duration.ofSeconds(3));

    private final String pattern;
    private final Duration ttl;

    Keys(String pattern, Duration ttl) {
      this.pattern = pattern;
      this.ttl = ttl;
    }

    @Override
    public String pattern() {
      return pattern;
    }

    @Override
    public Duration ttl() {
      return ttl;
    }
  }

  public static class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Busy(String message) {
      super(message);
    }
  }

  @ApplicationScoped
  public static class Shop {
    @ConcurrencySafe(key = "lock:shop:{id}", blockedMessage = "annotation")
    public long buy(String id) {
      return probe.get();
    }

    @Observed
    @ConcurrencySafe(key = "lock:shop2:{id}")
    public long sell(String id) {
      return probe.get();
    }
  }

  @ApplicationScoped
  public static class Other {
    @ConcurrencySafe(key = "lock:other:{id}")
    public long run(String id) {
      return probe.get();
    }
  }

  @ApplicationScoped
  public static class Catalogued {
    @ConcurrencySafe(catalog = Keys.class, key = "REFRESH")
    public long refresh(String userId) {
      return probe.get();
    }

    @ConcurrencySafe(catalog = Keys.class, key = "REFRESH", ttl = "4s")
    public long refreshAnnotated(String userId) {
      return probe.get();
    }

    @ConcurrencySafe(catalog = Keys.class, key = "REFRESH")
    public long check(String userId) {
      return probe.get();
    }
  }

  @InterceptorBinding
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.METHOD, ElementType.TYPE})
  @interface Observed {}

  /**
   * Runs just after the default concurrency-safe priority: inside the lock unless re-prioritised.
   */
  @Observed
  @Interceptor
  @Priority(Interceptor.Priority.PLATFORM_AFTER + 6)
  public static class ObservingInterceptor {
    @AroundInvoke
    Object observe(InvocationContext ctx) throws Exception {
      observedLockHeld = observer.get();
      return ctx.proceed();
    }
  }
}
