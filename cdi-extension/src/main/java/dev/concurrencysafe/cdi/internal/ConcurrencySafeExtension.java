package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.inject.Singleton;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;

/**
 * The CDI Full front-end (Weld: Weld SE, Helidon MP, Payara): feeds every managed bean, as the
 * container's {@code AnnotatedType} describes it, to the shared {@link ConcurrencySafeRuntime},
 * reports all problems at once as definition errors, registers the runtime as a bean, connects once
 * the application has started and disconnects at shutdown. CDI Lite containers use {@link
 * ConcurrencySafeLiteExtension} instead (Weld skips that one when this one is present).
 *
 * <p>Thread-safety: container lifecycle events arrive on one thread; the runtime synchronises the
 * bean events some containers fire from several deployment threads.
 */
public class ConcurrencySafeExtension implements Extension {

  private volatile @Nullable ConcurrencySafeRuntime runtime;

  /** Where the MP Health API is looked for; a seam for the test of its absence. */
  private final ClassLoader healthApiLoader;

  /** The constructor {@code ServiceLoader} and containers use. */
  public ConcurrencySafeExtension() {
    this(ConcurrencySafeExtension.class.getClassLoader());
  }

  ConcurrencySafeExtension(ClassLoader healthApiLoader) {
    this.healthApiLoader = healthApiLoader;
  }

  void readConfiguration(@Observes BeforeBeanDiscovery event) {
    runtime = ConcurrencySafeRuntime.prepare(ConfigReader.classLoader());
    HealthCheckRegistration.register(event, healthApiLoader);
  }

  void prioritiseInterceptor(@Observes ProcessAnnotatedType<ConcurrencySafeInterceptor> event) {
    int priority = runtime().interceptorPriority();
    if (priority != GlobalSettings.DEFAULT_PRIORITY) {
      event
          .configureAnnotatedType()
          .remove(annotation -> annotation.annotationType() == Priority.class)
          .add(new PriorityLiteral(priority));
    }
  }

  /**
   * The CDI Lite lifecycle bean is for containers without this extension; here this class does its
   * job.
   */
  void vetoLiteLifecycle(@Observes ProcessAnnotatedType<LiteLifecycle> event) {
    event.veto();
  }

  void resolveMethods(@Observes ProcessManagedBean<?> event, BeanManager beanManager) {
    runtime().register(PortableModel.of(event.getAnnotatedBeanClass(), beanManager));
  }

  void reportProblems(@Observes AfterBeanDiscovery event) {
    ConcurrencySafeRuntime prepared = runtime();
    for (String message : prepared.problems()) {
      event.addDefinitionError(new DefinitionException(message));
    }
    event
        .addBean()
        .beanClass(ConcurrencySafeRuntime.class)
        .types(ConcurrencySafeRuntime.class, Object.class)
        .scope(Singleton.class)
        .createWith(context -> prepared);
  }

  /**
   * Connects once the deployment is known to be valid, before application observers of the same
   * event (eager beans may use the lock at startup). Not in AfterDeploymentValidation: another
   * extension may still fail the deployment there, and the container would never shut down what was
   * opened (a Redisson client's non-daemon threads would keep the JVM alive).
   */
  void connect(
      @Observes
          @Priority(jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE)
          @Initialized(ApplicationScoped.class) Object event,
      BeanManager beanManager) {
    Instance<Object> instances = beanManager.createInstance();
    runtime()
        .connect(
            instances.select(LockManager.class),
            instances.select(RedissonClient.class),
            instances.select(LockListener.class),
            instances.select(LockInstrumentation.class));
  }

  void disconnect(@Observes BeforeShutdown event) {
    ConcurrencySafeRuntime prepared = runtime;
    if (prepared != null) {
      prepared.disconnect();
    }
  }

  private ConcurrencySafeRuntime runtime() {
    ConcurrencySafeRuntime prepared = runtime;
    if (prepared == null) {
      throw new IllegalStateException("BeforeBeanDiscovery was not observed");
    }
    return prepared;
  }
}
