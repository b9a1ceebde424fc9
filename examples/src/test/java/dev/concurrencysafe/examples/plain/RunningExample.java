package dev.concurrencysafe.examples.plain;

import dev.concurrencysafe.testing.RedisExtension;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension for a {@code static} field: a real redis-server and the {@link
 * ExampleApplication} on it (so {@code Locks} has its default manager) for one test class.
 *
 * <p>Thread-safety: the lifecycle is JUnit's; the accessors are safe once started.
 */
public final class RunningExample implements BeforeAllCallback, AfterAllCallback {

  private final RedisExtension redis = RedisExtension.perClass();
  private volatile @Nullable ExampleApplication app;

  @Override
  public void beforeAll(ExtensionContext context) {
    redis.beforeAll(context);
    app = ExampleApplication.start(ExampleApplication.redisson(redis.uri()));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      ExampleApplication running = app;
      app = null;
      if (running != null) {
        running.close();
      }
    } finally {
      redis.afterAll(context);
    }
  }

  /** The running application. */
  public ExampleApplication app() {
    ExampleApplication running = app;
    if (running == null) {
      throw new IllegalStateException(
          "the example application runs only while the test class runs");
    }
    return running;
  }

  /** Its redis-server. */
  public RedisExtension redis() {
    return redis;
  }
}
