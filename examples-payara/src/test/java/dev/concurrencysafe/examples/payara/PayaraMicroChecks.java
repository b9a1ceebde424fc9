package dev.concurrencysafe.examples.payara;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.testing.RedisServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The checks on Payara Micro: {@code java -jar payara-micro.jar} (the jar from Maven Central, its
 * path in the system property named by {@link #jarProperty}) with the shop and the broken WAR
 * deployed at start, on a free loopback port; the Redis address as a system property, which
 * MicroProfile Config reads before the WAR's microprofile-config.properties.
 */
abstract class PayaraMicroChecks extends ShopOnServerChecks {

  private final int port = RedisServer.freePort();

  /** The system property holding the payara-micro jar's path. */
  protected abstract String jarProperty();

  @Override
  protected ServerProcess start(Path shopWar, Path brokenWar, Path workDir, String redisAddress) {
    List<String> command =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-Xmx384m",
            "-Dconcurrency-safe.redis.address=" + redisAddress,
            "-jar",
            System.getProperty(jarProperty()),
            "--deploy",
            shopWar.toString(),
            "--deploy",
            brokenWar.toString(),
            "--port",
            Integer.toString(port),
            "--nocluster",
            "--rootdir",
            workDir.resolve("root-" + port).toString());
    return ServerProcess.start(
        serverName(),
        command,
        Map.of(),
        workDir.resolve("payara-" + port + ".log"),
        output -> output.contains(" ready in "),
        output -> false);
  }

  @Override
  protected URI shop() {
    return URI.create("http://127.0.0.1:" + port + "/shop/");
  }

  @Override
  protected URI readiness() {
    return URI.create("http://127.0.0.1:" + port + "/health/ready");
  }

  /**
   * Deployed at start: Payara logs "Exception while loading the app", goes on with the others and
   * lists only those as deployed once ready.
   */
  @Override
  protected String brokenDeploymentFailure(Path brokenWar) {
    String output = server().output();
    int failure = output.indexOf("Exception while loading the app : CDI definition failure");
    assertTrue(failure >= 0, "Payara reports the failed deployment:\n" + output);
    int list = output.lastIndexOf("\"Deployed\": [");
    assertTrue(list >= 0, "Payara lists what it deployed:\n" + output);
    String deployed = output.substring(list);
    assertTrue(
        deployed.contains("\"Name\": \"shop\"") && !deployed.contains("\"Name\": \"shop-broken\""),
        "only the shop is deployed: " + deployed);
    return output.substring(failure);
  }
}
