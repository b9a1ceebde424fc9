package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.Locks;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The portable extension: reads {@code concurrency-safe.*} configuration, resolves and validates
 * every {@link ConcurrencySafe} method when the container starts (reporting all problems at once
 * as definition errors), connects to the lock store once the application has started, installs the
 * manager as {@link Locks}' default, and closes what it created at shutdown.
 *
 * <p>Thread-safety: container lifecycle events arrive on one thread; {@link #settings} and
 * {@link #manager} are safe to call from any thread afterwards.
 */
public class ConcurrencySafeExtension implements Extension {

  private static final System.Logger LOG = System.getLogger("dev.concurrencysafe.cdi");

  private final Problems problems = new Problems();
  /** Settings by method; the common case, one bean class per method. */
  private final Map<Method, MethodSettings> settings = new ConcurrentHashMap<>();
  /** Methods inherited by several bean classes, each with its own settings, by bean class. */
  private final Map<Method, Map<Class<?>, MethodSettings>> inherited = new ConcurrentHashMap<>();
  /** Methods whose late resolution failed, so a broken method costs the resolution only once. */
  private final Map<Method, IllegalStateException> lateFailures = new ConcurrentHashMap<>();
  /** Deployment only: which bean class a method in {@link #settings} was resolved for. */
  private final Map<Method, Class<?>> resolvedFor = new HashMap<>();
  private @Nullable ConfigReader config;
  private @Nullable GlobalSettings global;
  private volatile @Nullable BeanManager beans;
  private volatile @Nullable Connection connection;
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
    ConfigReader reader = ConfigReader.load(classLoader());
    config = reader;
    global = GlobalSettings.read(reader, problems);
    HealthCheckRegistration.register(event, healthApiLoader);
  }

  void prioritiseInterceptor(@Observes ProcessAnnotatedType<ConcurrencySafeInterceptor> event) {
    int priority = global().interceptorPriority();
    if (priority != GlobalSettings.DEFAULT_PRIORITY) {
      event.configureAnnotatedType()
          .remove(annotation -> annotation.annotationType() == Priority.class)
          .add(new PriorityLiteral(priority));
    }
  }

  // synchronized: a container may fire bean events from several deployment threads
  synchronized void resolveMethods(@Observes ProcessManagedBean<?> event, BeanManager beanManager) {
    AnnotatedType<?> type = event.getAnnotatedBeanClass();
    // the interceptor carries its own binding; it is not a bean to lock
    if (type.isAnnotationPresent(jakarta.interceptor.Interceptor.class)) {
      return;
    }
    ClassBinding classBinding = ClassBinding.of(type, beanManager);
    if (classBinding != null || anyMethodAnnotated(type)) {
      new SettingsResolver(configReader(), global(), problems).resolve(type, classBinding)
          .forEach((method, resolved) -> record(type.getJavaClass(), method, resolved));
    }
  }

  synchronized void reportProblems(@Observes AfterBeanDiscovery event) {
    for (String message : problems.messages()) {
      event.addDefinitionError(new DefinitionException(message));
    }
  }

  /**
   * Connects once the deployment is known to be valid, before application observers of the same
   * event (eager beans may use the lock at startup). Not in AfterDeploymentValidation: another
   * extension may still fail the deployment there, and the container would never shut down what
   * was opened (a Redisson client's non-daemon threads would keep the JVM alive).
   */
  void connect(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE)
      @Initialized(ApplicationScoped.class) Object event, BeanManager beanManager) {
    beans = beanManager;
    Connection opened;
    try {
      opened = Connection.open(beanManager, global());
    } catch (RuntimeException e) {
      throw new DeploymentException(Problems.CONNECTION + " concurrency-safe: "
          + global().redis().mask(String.valueOf(e.getMessage())));
    }
    connection = opened;
    Locks.setDefault(opened.manager());
    LOG.log(System.Logger.Level.INFO, "[concurrency-safe] {0} @ConcurrencySafe method(s); lock store: {1}",
        settings.size() + inherited.values().stream().mapToInt(Map::size).sum(), opened.origin(global()));
  }

  void disconnect(@Observes BeforeShutdown event) {
    Connection opened = connection;
    connection = null;
    if (opened != null) {
      Locks.clearDefault(opened.manager());
      opened.close();
    }
  }

  /** The manager every intercepted call uses. */
  LockManager manager() {
    Connection opened = connection;
    if (opened == null) {
      throw new IllegalStateException("concurrency-safe is not connected: the container has not"
          + " finished starting, or has shut down");
    }
    return opened.manager();
  }

  /** The manager, or null before the application has started and after shutdown. */
  @Nullable LockManager connectedManager() {
    Connection opened = connection;
    return opened == null ? null : opened.manager();
  }

  /** {@code concurrency-safe.health.timeout}. */
  java.time.Duration healthTimeout() {
    return global().healthTimeout();
  }

  /** {@code text} with the configured address's user info and the password masked. */
  String mask(String text) {
    return global().redis().mask(text);
  }

  private void record(Class<?> beanClass, Method method, MethodSettings resolved) {
    Map<Class<?>, MethodSettings> byBean = inherited.get(method);
    if (byBean != null) {
      byBean.put(beanClass, resolved);
      return;
    }
    Class<?> first = resolvedFor.putIfAbsent(method, beanClass);
    if (first == null || first == beanClass) {
      settings.put(method, resolved);
      return;
    }
    byBean = new ConcurrentHashMap<>();
    byBean.put(first, settings.remove(method));
    byBean.put(beanClass, resolved);
    inherited.put(method, byBean);
  }

  /**
   * The method's settings, resolved at deployment: by method alone, or, for a method inherited by
   * several beans, by the target's bean class (the container's subclass extends it). A method the
   * container did not announce then (a rare container-specific path) is resolved now, once, with
   * the same validation.
   */
  MethodSettings settings(Method method, Object target) {
    MethodSettings resolved = settings.get(method);
    if (resolved != null) {
      return resolved;
    }
    Map<Class<?>, MethodSettings> byBean = inherited.get(method);
    if (byBean != null) {
      for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
        resolved = byBean.get(type);
        if (resolved != null) {
          return resolved;
        }
      }
    }
    IllegalStateException unresolvable = lateFailures.get(method);
    if (unresolvable != null) {
      throw unresolvable; // resolved (and failed) once: no reflection and validation per call
    }
    try {
      return settings.computeIfAbsent(method, this::resolveLate);
    } catch (IllegalStateException e) {
      if (beans != null) {
        lateFailures.putIfAbsent(method, e);
      }
      throw e;
    }
  }

  private MethodSettings resolveLate(Method method) {
    BeanManager beanManager = beans;
    if (beanManager == null) {
      throw new IllegalStateException("concurrency-safe: " + method + " called before deployment ended");
    }
    AnnotatedType<?> type = beanManager.createAnnotatedType(method.getDeclaringClass());
    Problems late = new Problems();
    SettingsResolver resolver = new SettingsResolver(configReader(), global(), late);
    for (AnnotatedMethod<?> candidate : type.getMethods()) {
      if (candidate.getJavaMember().equals(method)) {
        ConcurrencySafe own = candidate.getAnnotation(ConcurrencySafe.class);
        MethodSettings resolved = own != null ? resolver.resolve(type, candidate, own, "")
            : resolver.resolve(type, candidate, ClassBinding.of(type, beanManager));
        if (resolved != null) {
          return resolved;
        }
      }
    }
    throw new IllegalStateException(late.size() == 0
        ? "concurrency-safe: no @ConcurrencySafe settings for " + method
        : String.join("; ", late.messages()));
  }

  private static boolean anyMethodAnnotated(AnnotatedType<?> type) {
    for (AnnotatedMethod<?> method : type.getMethods()) {
      if (method.isAnnotationPresent(ConcurrencySafe.class)) {
        return true;
      }
    }
    return false;
  }

  private GlobalSettings global() {
    GlobalSettings settings = global;
    if (settings == null) {
      throw new IllegalStateException("BeforeBeanDiscovery was not observed");
    }
    return settings;
  }

  private ConfigReader configReader() {
    ConfigReader reader = config;
    if (reader == null) {
      throw new IllegalStateException("BeforeBeanDiscovery was not observed");
    }
    return reader;
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : ConcurrencySafeExtension.class.getClassLoader();
  }
}
