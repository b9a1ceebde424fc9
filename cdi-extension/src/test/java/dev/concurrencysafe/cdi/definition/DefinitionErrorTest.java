package dev.concurrencysafe.cdi.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.Redis;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.DeploymentException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every deployment problem is a definition error with a stable id and the Class#method it concerns;
 * all problems are reported together; a failed deployment connects to nothing.
 */
class DefinitionErrorTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  @AfterEach
  void nothingLeftBehind() {
    assertEquals(0, redis.keyCount(), "a failed deployment must not write to Redis");
    assertEquals(
        0, Redis.otherClients(redis.server()), "a failed deployment must not leave a client open");
  }

  public enum Keys implements LockKey {
    PURCHASE("lock:purchase:{userId}", Duration.ofSeconds(3));

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

  public enum NotAKey {
    PURCHASE
  }

  public static class NoStringConstructor extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoStringConstructor(int code) {
      super("code " + code);
    }
  }

  @ApplicationScoped
  public static class BadDuration {
    @ConcurrencySafe(key = "lock:x", ttl = "3 parsecs")
    public void reserve() {}
  }

  @ApplicationScoped
  public static class UnknownPlaceholder {
    @ConcurrencySafe(key = "lock:purchase:{userId}")
    public void purchase(String user) {}
  }

  public record Order(String customerId) {}

  @ApplicationScoped
  public static class UnknownProperty {
    @ConcurrencySafe(key = "lock:refresh:{order.customer}")
    public void refresh(Order order) {}
  }

  @ApplicationScoped
  public static class CatalogNotAnEnum {
    @ConcurrencySafe(catalog = String.class, key = "PURCHASE")
    public void purchase(String userId) {}
  }

  @ApplicationScoped
  public static class CatalogNotALockKey {
    @ConcurrencySafe(catalog = NotAKey.class, key = "PURCHASE")
    public void purchase(String userId) {}
  }

  @ApplicationScoped
  public static class UnknownConstant {
    @ConcurrencySafe(catalog = Keys.class, key = "PURCHASES")
    public void purchase(String userId) {}
  }

  @ApplicationScoped
  public static class ExceptionWithoutStringConstructor {
    @ConcurrencySafe(key = "lock:x", exception = NoStringConstructor.class)
    public void pay() {}
  }

  @ApplicationScoped
  public static class PrivateMethod {
    @ConcurrencySafe(key = "lock:x")
    private void hidden() {}

    public void call() {
      hidden();
    }
  }

  @ApplicationScoped
  public static class StaticMethod {
    @ConcurrencySafe(key = "lock:x")
    public static void utility() {}
  }

  public static class FinalMethod {
    @ConcurrencySafe(key = "lock:x")
    public final void settle() {}
  }

  @ApplicationScoped
  public static class MalformedPattern {
    @ConcurrencySafe(key = "lock:{a}{b}")
    public void pair(String a, String b) {}
  }

  @ApplicationScoped
  public static class Valid {
    @ConcurrencySafe(key = "lock:ok:{id}", ttl = "3s")
    public void ok(String id) {}
  }

  @Test
  void unparseableDuration() {
    expect(Map.of(), "CSCDI001", BadDuration.class, "reserve", "3 parsecs", BadDuration.class);
  }

  @Test
  void placeholderWithoutParameter() {
    expect(
        Map.of(),
        "CSCDI002",
        UnknownPlaceholder.class,
        "purchase",
        "{userId}",
        UnknownPlaceholder.class);
  }

  @Test
  void placeholderPropertyNotFound() {
    expect(
        Map.of(),
        "CSCDI003",
        UnknownProperty.class,
        "refresh",
        "'customer'",
        UnknownProperty.class);
  }

  @Test
  void parametersCompiledWithoutNames() throws Exception {
    Class<?> bean = Class.forName("dev.concurrencysafe.cdi.noparameters.NoParametersBean");
    String text = expect(Map.of(), "CSCDI004", bean, "refund", "-parameters", bean);
    assertTrue(text.contains("@KeyParam"), text);
    assertFalse(text.contains(bean.getName() + "#cancel"), "@KeyParam made cancel valid: " + text);
  }

  @Test
  void catalogNotAnEnumImplementingLockKey() {
    expect(
        Map.of(),
        "CSCDI005",
        CatalogNotAnEnum.class,
        "purchase",
        "java.lang.String",
        CatalogNotAnEnum.class);
    expect(
        Map.of(),
        "CSCDI005",
        CatalogNotALockKey.class,
        "purchase",
        "must be an enum implementing",
        CatalogNotALockKey.class);
  }

  @Test
  void catalogConstantNotFound() {
    expect(
        Map.of(),
        "CSCDI006",
        UnknownConstant.class,
        "purchase",
        "[PURCHASE]",
        UnknownConstant.class);
  }

  @Test
  void exceptionWithoutStringConstructor() {
    expect(
        Map.of(),
        "CSCDI007",
        ExceptionWithoutStringConstructor.class,
        "pay",
        "(String message)",
        ExceptionWithoutStringConstructor.class);
  }

  @Test
  void methodsTheContainerCannotIntercept() {
    expect(Map.of(), "CSCDI008", PrivateMethod.class, "hidden", "private", PrivateMethod.class);
    expect(Map.of(), "CSCDI008", StaticMethod.class, "utility", "static", StaticMethod.class);
    expect(Map.of(), "CSCDI008", FinalMethod.class, "settle", "final", FinalMethod.class);
  }

  @Test
  void malformedPattern() {
    expect(
        Map.of(),
        "CSCDI009",
        MalformedPattern.class,
        "pair",
        "lock:{a}{b}",
        MalformedPattern.class);
  }

  @Test
  void invalidConfigurationOverridesAreDefinitionErrorsToo() {
    String key = Valid.class.getName() + "/ok/ConcurrencySafe/waitTimeout";
    String text = expect(Map.of(key, "soon"), "CSCDI001", Valid.class, "ok", key, Valid.class);
    assertTrue(text.contains("'soon'"), text);
    expect(
        Map.of("ConcurrencySafe/exception", "com.example.Missing"),
        "CSCDI007",
        Valid.class,
        "ok",
        "com.example.Missing",
        Valid.class);
    expect(
        Map.of("ConcurrencySafe/enabled", "maybe"),
        "CSCDI010",
        Valid.class,
        "ok",
        "maybe",
        Valid.class);
    expect(
        Map.of(Valid.class.getName() + "/ConcurrencySafe/catalog", "com.example.Keys"),
        "CSCDI005",
        Valid.class,
        "ok",
        "'com.example.Keys'",
        Valid.class);
    expect(
        Map.of(Valid.class.getName() + "/ok/ConcurrencySafe/key", "lock:{nope}"),
        "CSCDI002",
        Valid.class,
        "ok",
        "{nope}",
        Valid.class);
  }

  @Test
  void invalidGlobalSettings() {
    String text =
        failure(
            Map.of(
                "concurrency-safe.ttl",
                "forever",
                "concurrency-safe.key-prefix",
                "{shop}",
                "concurrency-safe.repeated-log-interval",
                "-1s"),
            Valid.class);
    assertTrue(text.contains("CSCDI001 concurrency-safe.ttl: 'forever'"), text);
    assertTrue(text.contains("CSCDI001 concurrency-safe.repeated-log-interval"), text);
    assertTrue(text.contains("CSCDI010 concurrency-safe.key-prefix"), text);
  }

  @Test
  void everyProblemOfEveryBeanIsReportedTogether() {
    String text =
        failure(
            Map.of(),
            BadDuration.class,
            UnknownPlaceholder.class,
            UnknownConstant.class,
            ExceptionWithoutStringConstructor.class,
            Valid.class);
    for (String expected :
        List.of(
            "CSCDI001 " + BadDuration.class.getName() + "#reserve",
            "CSCDI002 " + UnknownPlaceholder.class.getName() + "#purchase",
            "CSCDI006 " + UnknownConstant.class.getName() + "#purchase",
            "CSCDI007 " + ExceptionWithoutStringConstructor.class.getName() + "#pay")) {
      assertTrue(text.contains(expected), "missing '" + expected + "' in: " + text);
    }
    assertFalse(text.contains(Valid.class.getName()), text);
  }

  /** Deploys the beans, expects failure and the message "id Class#method: ...detail...". */
  private static String expect(
      Map<String, String> config,
      String id,
      Class<?> owner,
      String method,
      String detail,
      Class<?>... beans) {
    String text = failure(config, beans);
    String prefix = id + " " + owner.getName() + "#" + method + ":";
    int at = text.indexOf(prefix);
    assertTrue(at >= 0, "expected '" + prefix + "' in: " + text);
    int end = text.indexOf('\n', at);
    String line = text.substring(at, end < 0 ? text.length() : end);
    assertTrue(line.contains(detail), "expected '" + detail + "' in: " + line);
    return text;
  }

  private static String failure(Map<String, String> config, Class<?>... beans) {
    Map<String, String> settings = new HashMap<>(config);
    settings.put("concurrency-safe.redis.address", redis.uri());
    RuntimeException e = TestContainer.deploymentFailure(settings, beans);
    assertTrue(
        e instanceof DefinitionException || e instanceof DeploymentException,
        "expected a definition or deployment error, got " + e);
    return TestContainer.text(e);
  }
}
