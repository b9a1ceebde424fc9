package dev.concurrencysafe.examples.wildfly;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.examples.payara.ServerProcess;
import dev.concurrencysafe.examples.payara.ShopOnServerChecks;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The example's WAR, unchanged, on WildFly with its MicroProfile configuration ({@code
 * standalone-microprofile.xml}), started as a user does ({@code bin/standalone.sh}) on free
 * loopback ports with a fresh server directory: Weld inside WildFly runs the portable extension,
 * the Redis address is a system property read by WildFly's MicroProfile Config, the readiness check
 * is on WildFly's management port ({@code /health/ready}), and the deployment scanner deploys the
 * WARs and marks a failed one with {@code .failed}. See {@link ShopOnServerChecks} for what is
 * proven.
 */
class PurchaseOnWildFlyIT extends ShopOnServerChecks {

  private final int httpPort = RedisServer.freePort();
  private final int managementPort = RedisServer.freePort();
  private Path deployments = Path.of("deployments");

  @Override
  protected String serverName() {
    return "WildFly " + System.getProperty("wildfly.version");
  }

  @Override
  protected ServerProcess start(Path shopWar, Path brokenWar, Path workDir, String redisAddress)
      throws IOException {
    Path home = Path.of(System.getProperty("wildfly.home"));
    Path base = workDir.resolve("standalone-" + httpPort);
    copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
    deployments = Files.createDirectories(base.resolve("deployments"));
    Files.copy(shopWar, deployments.resolve("shop.war"));
    List<String> command =
        new ArrayList<>(
            List.of(
                home.resolve("bin/standalone.sh").toString(),
                "-c",
                "standalone-microprofile.xml",
                "-b",
                "127.0.0.1",
                "-bmanagement",
                "127.0.0.1",
                "-Djboss.server.base.dir=" + base,
                "-Djboss.http.port=" + httpPort,
                "-Djboss.https.port=" + RedisServer.freePort(),
                "-Djboss.management.http.port=" + managementPort,
                "-Djboss.management.https.port=" + RedisServer.freePort(),
                "-Djboss.ajp.port=" + RedisServer.freePort(),
                // what a WildFly user does: a system property, which WildFly's MicroProfile Config
                // reads
                // before the WAR's META-INF/microprofile-config.properties
                "-Dconcurrency-safe.redis.address=" + redisAddress));
    Map<String, String> environment =
        Map.of(
            "JAVA_HOME",
            Path.of(System.getProperty("java.home")).toString(),
            "JBOSS_JAVA_SIZING",
            "-Xms64m -Xmx512m");
    return ServerProcess.start(
        serverName(),
        command,
        environment,
        workDir.resolve("wildfly-" + httpPort + ".log"),
        // WFLYSRV0025: started; WFLYSRV0026: started with errors
        output -> output.contains("WFLYSRV0025") || output.contains("WFLYSRV0026"),
        output ->
            !output.contains("WFLYSRV0010: Deployed \"shop.war\"")
                || output.contains("WFLYSRV0026"));
  }

  @Override
  protected URI shop() {
    return URI.create("http://127.0.0.1:" + httpPort + "/shop/");
  }

  @Override
  protected URI readiness() {
    return URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
  }

  /**
   * Moved whole into deployments/ (the scanner never sees half a file); the scanner writes {@code
   * shop-broken.war.failed} with the failure, never {@code .deployed}.
   */
  @Override
  protected String brokenDeploymentFailure(Path brokenWar) throws IOException {
    Path staged =
        Files.copy(
            brokenWar,
            deployments.resolveSibling("shop-broken.war"),
            StandardCopyOption.REPLACE_EXISTING);
    Files.move(staged, deployments.resolve("shop-broken.war"), StandardCopyOption.ATOMIC_MOVE);
    Path failed = deployments.resolve("shop-broken.war.failed");
    Path deployed = deployments.resolve("shop-broken.war.deployed");
    Await.until(
        "the deployment scanner marks shop-broken.war (" + deployments + ")",
        ServerProcess.START_TIMEOUT,
        () -> Files.exists(failed) || Files.exists(deployed));
    assertFalse(Files.exists(deployed), "shop-broken.war is not deployed:\n" + server().output());
    String failure = Files.readString(failed, StandardCharsets.UTF_8);
    assertTrue(failure.contains("CSCDI002"), "the .failed marker names the problem: " + failure);
    return failure;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (Stream<Path> files = Files.walk(from)) {
      files.forEach(
          file -> {
            try {
              Files.copy(file, to.resolve(from.relativize(file).toString()));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
