package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.Locks;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.DeploymentException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;

/**
 * What a container front-end prepares for the interceptor, the same on every container: the {@code
 * concurrency-safe.*} settings, every {@link ConcurrencySafe} method resolved and validated by the
 * shared {@link SettingsResolver}, and the lock store connection. The portable extension (CDI Full)
 * and the build-compatible extension (CDI Lite) each register it as a bean; the interceptor and the
 * readiness check inject it, so neither depends on how it was made.
 *
 * <p>Thread-safety: {@link #register} is synchronised (containers may announce beans from several
 * deployment threads); the call-time methods are safe from any thread once connected.
 */
public final class ConcurrencySafeRuntime {

  private static final System.Logger LOG = System.getLogger("dev.concurrencysafe.cdi");

  private final ConfigReader config;
  private final GlobalSettings global;
  private final Problems problems = new Problems();
  private final MethodRegistry registry;
  private volatile @Nullable Connection connection;

  private ConcurrencySafeRuntime(ConfigReader config) {
    this.config = config;
    this.global = GlobalSettings.read(config, problems);
    this.registry = new MethodRegistry(late -> new SettingsResolver(config, global, late));
  }

  /**
   * Reads and checks the {@code concurrency-safe.*} settings; problems are kept for {@link
   * #problems}.
   */
  static ConcurrencySafeRuntime prepare(ClassLoader configLoader) {
    return new ConcurrencySafeRuntime(ConfigReader.load(configLoader));
  }

  /** Resolves and validates the {@code @ConcurrencySafe} methods of one bean, if it has any. */
  synchronized void register(BeanType type) {
    // the interceptor carries its own binding; it is not a bean to lock
    if (type.javaClass().isAnnotationPresent(jakarta.interceptor.Interceptor.class)) {
      return;
    }
    ClassBinding classBinding = ClassBinding.of(type);
    if (classBinding != null || type.annotatedDirectly()) {
      new SettingsResolver(config, global, problems)
          .resolve(type, classBinding)
          .forEach((method, resolved) -> registry.record(type.javaClass(), method, resolved));
    }
  }

  /** Every problem found so far, each {@code "CSCDInnn <where>: <what>"}. */
  synchronized List<String> problems() {
    return problems.messages();
  }

  int interceptorPriority() {
    return global.interceptorPriority();
  }

  /**
   * Connects to the lock store (an application {@code LockManager} bean wins, then a {@code
   * RedissonClient} bean, then {@code concurrency-safe.redis.*}) and installs the manager as {@link
   * Locks}' default. The instances are passed by the front-end so the container sees them as used
   * (CDI Lite removes beans nobody injects).
   */
  synchronized void connect(
      Instance<LockManager> managers,
      Instance<RedissonClient> clients,
      Instance<LockListener> listeners,
      Instance<LockInstrumentation> instrumentations) {
    if (connection != null) {
      return; // one connection per deployment, whichever front-end asks first
    }
    Connection opened;
    try {
      opened = Connection.open(managers, clients, listeners, instrumentations, global);
    } catch (RuntimeException e) {
      throw new DeploymentException(
          Problems.CONNECTION
              + " concurrency-safe: "
              + global.redis().mask(String.valueOf(e.getMessage())));
    }
    registry.deploymentEnded();
    connection = opened;
    Locks.setDefault(opened.manager());
    LOG.log(
        System.Logger.Level.INFO,
        "[concurrency-safe] {0} @ConcurrencySafe method(s); lock store: {1}",
        registry.size(),
        opened.origin(global));
  }

  /** Closes what {@link #connect} created; idempotent. */
  synchronized void disconnect() {
    Connection opened = connection;
    connection = null;
    if (opened != null) {
      Locks.clearDefault(opened.manager());
      opened.close();
    }
  }

  /** The settings of a call, resolved at deployment (see {@link MethodRegistry#settings}). */
  MethodSettings settings(Method method, Object target) {
    return registry.settings(method, target);
  }

  /** The manager every intercepted call uses. */
  LockManager manager() {
    Connection opened = connection;
    if (opened == null) {
      throw new IllegalStateException(
          "concurrency-safe is not connected: the container has not"
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
  Duration healthTimeout() {
    return global.healthTimeout();
  }

  /** {@code text} with the configured address's user info and the password masked. */
  String mask(String text) {
    return global.redis().mask(text);
  }
}
