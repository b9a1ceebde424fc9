package dev.concurrencysafe.testing;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real {@link RedisServer} per test class, for a {@code static} field:
 *
 * <pre>{@code
 * @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();
 * }</pre>
 *
 * <p>Started before the class's first test, stopped after its last; with {@link
 * #emptiedBeforeEach()} every test starts from an empty database. The common calls are delegated;
 * {@link #server()} gives the rest.
 *
 * <p>Thread-safety: like {@link RedisServer} once started; the lifecycle is JUnit's.
 */
public final class RedisExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

  private final boolean emptyBeforeEach;
  private volatile @Nullable RedisServer server;

  private RedisExtension(boolean emptyBeforeEach) {
    this.emptyBeforeEach = emptyBeforeEach;
  }

  /** A server whose data the class's tests share. */
  public static RedisExtension perClass() {
    return new RedisExtension(false);
  }

  /** A server flushed ({@code FLUSHALL}) before each test. */
  public static RedisExtension emptiedBeforeEach() {
    return new RedisExtension(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RedisServer.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (emptyBeforeEach) {
      server().command("FLUSHALL");
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    RedisServer running = server;
    server = null;
    if (running != null) {
      running.close();
    }
  }

  /** The running server. */
  public RedisServer server() {
    RedisServer running = server;
    if (running == null) {
      throw new IllegalStateException(
          "the redis-server runs only while the test class runs;"
              + " register this extension on a static field");
    }
    return running;
  }

  /** {@link RedisServer#uri()}. */
  public String uri() {
    return server().uri();
  }

  /** {@link RedisServer#command(String...)}. */
  public String command(String... args) {
    return server().command(args);
  }

  /** {@link RedisServer#keyCount()}. */
  public long keyCount() {
    return server().keyCount();
  }
}
