package dev.concurrencysafe.examples.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.testing.Signals;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Ctrl-C on the demo (SIGINT to its JVM, as the terminal sends) leaves no redis-server behind. */
class DemoInterruptTest {

  private static final Pattern REDIS_PID =
      Pattern.compile("embedded redis-server .* \\(pid (\\d+)\\)");

  @Test
  void ctrlCStopsTheEmbeddedRedis() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    // Surefire runs tests from a manifest-only jar; it passes the real test class path separately.
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process demo =
        new ProcessBuilder(java, "-cp", classPath, Demo.class.getName())
            .redirectErrorStream(true)
            .start();
    try {
      long redisPid = redisPidFrom(demo);
      assertTrue(
          ProcessHandle.of(redisPid).map(ProcessHandle::isAlive).orElse(false),
          "the demo's redis-server should be running while the demo runs");
      Signals.send(demo.pid(), "INT");

      assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "the demo did not stop on Ctrl-C");
      ProcessHandle redis = ProcessHandle.of(redisPid).orElse(null);
      if (redis != null) {
        // the hook kills it before the JVM exits; the kernel may report it a moment later
        redis.onExit().get(10, TimeUnit.SECONDS);
      }
      assertFalse(
          ProcessHandle.of(redisPid).map(ProcessHandle::isAlive).orElse(false),
          "redis-server pid " + redisPid + " outlived the interrupted demo");
    } finally {
      demo.destroyForcibly();
    }
  }

  /** Reads the demo's output up to the line naming its embedded redis-server. */
  private static long redisPidFrom(Process demo) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher m = REDIS_PID.matcher(line);
      if (m.find()) {
        // keep draining so the demo never blocks on a full pipe
        Thread drain = new Thread(() -> out.lines().forEach(ignored -> {}), "demo-output");
        drain.setDaemon(true);
        drain.start();
        return Long.parseLong(m.group(1));
      }
    }
    throw new AssertionError("the demo printed no embedded redis-server line:\n" + seen);
  }
}
