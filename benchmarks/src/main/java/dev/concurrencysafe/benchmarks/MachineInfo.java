package dev.concurrencysafe.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

/**
 * What a run was measured on: the date, cores, CPU, JDK, OS, server and client versions, and the
 * load average before and after (other processes on the machine skew every number).
 *
 * <p>Thread-safety: stateless.
 */
final class MachineInfo {

  private MachineInfo() {}

  /** The machine now, the server {@code fixture} runs, and {@code loadAtStart}. */
  static Results.Machine describe(Fixture fixture, BenchSettings settings, double loadAtStart) {
    return new Results.Machine(
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        fixture.server().serverVersion(),
        redissonVersion(),
        settings.smoke(),
        loadAtStart,
        loadAverage());
  }

  static String redissonVersion() {
    try (InputStream in =
        org.redisson.Redisson.class.getResourceAsStream(
            "/META-INF/maven/org.redisson/redisson/pom.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The 1-minute load average: other processes competing for the 2 cores skew every number. */
  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException notLinux) {
      // fall through
    }
    return System.getProperty("os.arch");
  }
}
