package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.SyntheticArchive;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.jspecify.annotations.Nullable;

/**
 * The {@code @ConcurrencySafe} row of measure 1: a Weld SE container (no discovery: the extension,
 * its interceptor and the two classes below) whose interceptor uses the fixture's own lock manager,
 * provided as an application bean, so the row differs from the DSL row only by the interceptor.
 *
 * <p>Thread-safety: start and close from one thread; the variant is for one thread at a time.
 */
final class InterceptorRow implements AutoCloseable {

  private static final AtomicReference<@Nullable LockManager> MANAGER = new AtomicReference<>();

  private final WeldContainer container;
  private final InterceptedWork work;

  private InterceptorRow(WeldContainer container) {
    this.container = container;
    this.work = container.select(InterceptedWork.class).get();
  }

  static InterceptorRow start(LockManager locks) {
    MANAGER.set(locks);
    Weld weld =
        new Weld("concurrency-safe-benchmarks")
            .disableDiscovery()
            .addExtension(SyntheticArchive.extension())
            .addBeanClasses(
                SyntheticArchive.interceptor(), InterceptedWork.class, ManagerProducer.class);
    return new InterceptorRow(weld.initialize());
  }

  Variant variant() {
    return new Variant(
        "interceptor", "`@ConcurrencySafe` interceptor (Weld SE), empty method", work::run);
  }

  @Override
  public void close() {
    container.shutdown();
    MANAGER.set(null);
  }

  /** The intercepted bean. Thread-safety: stateless. */
  @ApplicationScoped
  public static class InterceptedWork {
    @ConcurrencySafe(key = "bench:cycle:interceptor")
    public void run() {
      // empty body: the cycle is what is measured
    }
  }

  /** Hands the fixture's manager to the extension. Thread-safety: stateless. */
  @ApplicationScoped
  public static class ManagerProducer {
    @Produces
    LockManager locks() {
      LockManager manager = MANAGER.get();
      if (manager == null) {
        throw new IllegalStateException("InterceptorRow.start(..) sets the manager first");
      }
      return manager;
    }
  }
}
