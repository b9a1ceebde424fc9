package dev.concurrencysafe.cdi.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.Redis;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.DeploymentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * concurrency-safe.redis.*: address with username/password, a Redisson YAML config file, and
 * connection failures that never reveal the password.
 */
class ConnectionConfigTest {

  private static final String PASSWORD = "s3cret-Passw0rd";
  private static RedisServer redis;

  @ApplicationScoped
  public static class Payments {
    @ConcurrencySafe(key = "lock:pay:{id}")
    public String pay(String id) {
      return "paid " + id;
    }
  }

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start("--requirepass", PASSWORD);
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void addressWithPassword() throws Exception {
    try (TestContainer container =
        TestContainer.start(
            Map.of(
                "concurrency-safe.redis.address",
                redis.uri(),
                "concurrency-safe.redis.password",
                PASSWORD),
            Payments.class)) {
      assertEquals("paid 1", container.bean(Payments.class).pay("1"));
      assertBlockedByKeyHeldInRedis(container, "2");
    }
    assertEquals(0, clientsAfterShutdown());
  }

  @Test
  void aclUsernameAndPassword() throws Exception {
    try (RedisServer acl =
            RedisServer.start(
                "--user",
                "locker",
                "on",
                ">" + PASSWORD,
                "~*",
                "&*",
                "+@all",
                "--user",
                "default",
                "off");
        TestContainer container =
            TestContainer.start(
                Map.of(
                    "concurrency-safe.redis.address",
                    acl.uri(),
                    "concurrency-safe.redis.username",
                    "locker",
                    "concurrency-safe.redis.password",
                    PASSWORD),
                Payments.class)) {
      assertEquals("paid 5", container.bean(Payments.class).pay("5"));
    }
  }

  @Test
  void redissonYamlConfigFile(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("redisson.yaml");
    Files.writeString(
        yaml,
        "password: \""
            + PASSWORD
            + "\"\n"
            + "singleServerConfig:\n"
            + "  address: \""
            + redis.uri()
            + "\"\n"
            + "  connectionMinimumIdleSize: 1\n");
    try (TestContainer container =
        TestContainer.start(
            Map.of(
                "concurrency-safe.redis.config-file",
                yaml.toString(),
                "concurrency-safe.redis.address",
                "redis://127.0.0.1:1"),
            Payments.class)) {
      assertEquals("paid 3", container.bean(Payments.class).pay("3"));
      assertBlockedByKeyHeldInRedis(container, "4");
    }
    assertEquals(0, clientsAfterShutdown());
  }

  @Test
  void wrongPasswordFailsDeploymentWithoutRevealingIt() throws Exception {
    // one slow failure (Redisson retries) covering both places a password can be given
    String inProperty = "wrong-" + PASSWORD;
    String inAddress = "in-address-" + PASSWORD;
    String address = "redis://:" + inAddress + "@127.0.0.1:" + redis.port();
    String text =
        deploymentFailure(
            Map.of(
                "concurrency-safe.redis.address", address,
                "concurrency-safe.redis.password", inProperty));
    assertTrue(
        text.contains(
            "CSCDI011 concurrency-safe: could not connect to Redis at redis://***@127.0.0.1:"
                + redis.port()),
        "names the address without its user info: " + text);
    assertTrue(text.contains("WRONGPASS"), "names the root cause: " + text);
    assertFalse(text.contains(PASSWORD), "no password may appear: " + text);
    assertEquals(0, clientsAfterShutdown(), "the half-built client is closed");
    assertEquals(
        java.util.List.of(),
        Thread.getAllStackTraces().keySet().stream()
            .map(Thread::getName)
            .filter(name -> name.startsWith("redisson"))
            .toList(),
        "no Redisson thread left running");
  }

  @Test
  void malformedAddressIsADeploymentProblemThatHidesItsUserInfo() {
    String text =
        deploymentFailure(
            Map.of(
                "concurrency-safe.redis.address",
                "tcp://admin:" + PASSWORD + "@127.0.0.1:" + redis.port()));
    assertTrue(text.contains("CSCDI011") && text.contains("should start with redis://"), text);
    assertFalse(text.contains(PASSWORD), text);
  }

  @Test
  void unreadableConfigFile(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("broken.yaml");
    Files.writeString(yaml, "singleServerConfig: [\n  password: \"" + PASSWORD + "\"\n");
    String text = deploymentFailure(Map.of("concurrency-safe.redis.config-file", yaml.toString()));
    assertTrue(text.contains("CSCDI011") && text.contains(yaml.toString()), text);
    assertFalse(text.contains(PASSWORD), "a parser message may quote the file: " + text);
    String missing =
        deploymentFailure(
            Map.of("concurrency-safe.redis.config-file", dir.resolve("nope.yaml").toString()));
    assertTrue(missing.contains("nope.yaml"), missing);
  }

  private static void assertBlockedByKeyHeldInRedis(TestContainer container, String id) {
    String reply =
        Redis.command(
            redis, PASSWORD, "SET", "{lock:pay:" + id + "}", "someone-else", "PX", "60000");
    assertEquals("OK", reply);
    assertThrows(ConcurrencyException.class, () -> container.bean(Payments.class).pay(id));
  }

  private static long clientsAfterShutdown() {
    return Redis.otherClientsAfterShutdown(redis, PASSWORD);
  }

  private static String deploymentFailure(Map<String, String> config) {
    RuntimeException e = TestContainer.deploymentFailure(config, Payments.class);
    assertInstanceOf(DeploymentException.class, e);
    return TestContainer.text(e);
  }
}
