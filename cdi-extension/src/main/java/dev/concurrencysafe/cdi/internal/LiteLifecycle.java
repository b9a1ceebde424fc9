package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Shutdown;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.DeploymentException;
import org.redisson.api.RedissonClient;

/**
 * On CDI Lite, where extensions cannot observe container events, this bean connects the {@link
 * ConcurrencySafeRuntime} at startup (before application observers: eager beans may lock) and
 * disconnects it at shutdown. Getting the runtime at startup is also what makes CDI Lite resolve
 * and validate every {@code @ConcurrencySafe} method then, failing the start with every {@code
 * CSCDI} problem. The portable extension vetoes this bean: on CDI Full it does the same from
 * container events.
 *
 * <p>Observer methods are public: the container's generated observers may live in another class
 * loader than this library (Quarkus' test and dev modes).
 *
 * <p>Thread-safety: stateless; the container calls it once at startup and once at shutdown.
 */
@Dependent
public class LiteLifecycle {

  public void start(
      @Observes
          @Priority(jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE)
          @Initialized(ApplicationScoped.class) Object event,
      Instance<ConcurrencySafeRuntime> runtimes,
      Instance<LockManager> managers,
      Instance<RedissonClient> clients,
      Instance<LockListener> listeners,
      Instance<LockInstrumentation> instrumentations) {
    if (!runtimes.isResolvable()) {
      throw new DeploymentException(
          Problems.NOT_PREPARED
              + " concurrency-safe: the container runs the"
              + " @ConcurrencySafe interceptor's lifecycle bean but no concurrency-safe extension prepared the"
              + " interceptor, so no lock would apply. Fix: "
              + Problems.PREPARE_FIX);
    }
    runtimes.get().connect(managers, clients, listeners, instrumentations);
  }

  public void stop(@Observes Shutdown event, Instance<ConcurrencySafeRuntime> runtimes) {
    if (runtimes.isResolvable()) {
      runtimes.get().disconnect();
    }
  }
}
