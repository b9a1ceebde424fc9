package dev.concurrencysafe.examples.cdi;

import dev.concurrencysafe.LockListener;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.ContainerLifecycleObserver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Boots the CDI example on Weld SE: bean discovery finds this module's beans and the
 * concurrency-safe interceptor, MicroProfile Config (SmallRye) reads {@code
 * META-INF/microprofile-config.properties}, system properties and environment variables, plus the
 * overrides given here, which win over all of them.
 *
 * <pre>{@code
 * try (CdiApplication app = CdiApplication.start(Map.of("concurrency-safe.redis.address", url))) {
 *   app.bean(TicketOffice.class).purchase("user-1", "ticket-9");
 * }
 * }</pre>
 *
 * <p>Thread-safety: beans are as thread-safe as they say; start and close from one thread.
 */
public final class CdiApplication implements AutoCloseable {

  private final WeldContainer container;
  private final Config config;

  private CdiApplication(WeldContainer container, Config config) {
    this.container = container;
    this.config = config;
  }

  /**
   * Starts the container with {@code overrides} on top of the usual configuration sources.
   *
   * @param extraBeans bean classes to add to the discovered ones (for example an
   *     {@code @Alternative} in a test)
   */
  public static CdiApplication start(Map<String, String> overrides, Class<?>... extraBeans) {
    return start(overrides, List.of(), extraBeans);
  }

  /**
   * Like {@link #start(Map, Class[])}, with {@code listeners} (already built, such as a {@code
   * LockMetrics} over a {@code MeterRegistry} the caller owns) added as {@code LockListener} beans:
   * the concurrency-safe extension registers every such bean on the manager it builds. An
   * application whose framework produces a {@code MeterRegistry} bean writes a producer method
   * instead: {@code @Produces @ApplicationScoped LockMetrics lockMetrics(MeterRegistry registry)}.
   */
  public static CdiApplication start(
      Map<String, String> overrides,
      List<? extends LockListener> listeners,
      Class<?>... extraBeans) {
    Config config =
        new SmallRyeConfigBuilder()
            .addDefaultSources()
            .addDiscoveredSources()
            .withSources(new PropertiesConfigSource(Map.copyOf(overrides), "overrides", 500))
            .build();
    ConfigProviderResolver resolver = ConfigProviderResolver.instance();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      resolver.registerConfig(config, loader);
    } catch (IllegalStateException alreadyRegistered) {
      // The default config was created earlier in this JVM (e.g. by another test): replace it.
      resolver.releaseConfig(resolver.getConfig(loader));
      resolver.registerConfig(config, loader);
    }
    try {
      List<LockListener> given = List.copyOf(listeners);
      WeldContainer container =
          new Weld()
              .addBeanClasses(extraBeans)
              .addContainerLifecycleObserver(
                  ContainerLifecycleObserver.afterBeanDiscovery(
                      event -> {
                        for (LockListener listener : given) {
                          event
                              .addBean()
                              .types(LockListener.class, Object.class)
                              .scope(Singleton.class)
                              .beanClass(listener.getClass())
                              .createWith(context -> listener);
                        }
                      }))
              .initialize();
      return new CdiApplication(container, config);
    } catch (RuntimeException | Error e) {
      resolver.releaseConfig(config);
      throw e;
    }
  }

  /** The bean of {@code type}. */
  public <T> T bean(Class<T> type) {
    return container.select(type).get();
  }

  /** Shuts the container down (the extension closes what it opened) and releases the config. */
  @Override
  public void close() {
    try {
      container.shutdown();
    } finally {
      ConfigProviderResolver.instance().releaseConfig(config);
    }
  }
}
