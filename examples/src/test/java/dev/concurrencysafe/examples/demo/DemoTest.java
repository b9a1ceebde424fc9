package dev.concurrencysafe.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the demo exactly as {@code ./demo} does (minus the build), so its README command cannot rot. */
class DemoTest {

  @Test
  void everyScenarioBehavesAsStatedAndTheEmbeddedRedisIsGoneAfterwards() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    boolean passed;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      passed = Demo.run(out, null);
    }
    String report = buffer.toString(StandardCharsets.UTF_8);
    assertTrue(passed, report);
    assertTrue(report.contains("RESULT: all 4 scenarios behaved as stated"), report);
    assertFalse(report.contains("[FAIL]"), report);
    for (String section : new String[] {"1. Duplicate rewards", "2. Refresh at most once",
        "3. The seed's bugs", "4. Waiting instead of refusing"}) {
      assertTrue(report.contains(section), section + " missing from\n" + report);
    }

    Matcher pid = Pattern.compile("\\(pid (\\d+)\\)").matcher(report);
    assertTrue(pid.find(), report);
    boolean alive = ProcessHandle.of(Long.parseLong(pid.group(1)))
        .map(ProcessHandle::isAlive).orElse(false);
    assertFalse(alive, "the demo's redis-server (pid " + pid.group(1) + ") is still running");
  }

  @Test
  void aFailureIsOneLineOfCausesWithoutRepeats() {
    RuntimeException wrapped = new IllegalStateException("deployment failed: connection refused",
        new RuntimeException("connection refused"));
    assertEquals("deployment failed: connection refused", Demo.causes(wrapped));
    assertEquals("outer <- inner", Demo.causes(new RuntimeException("outer",
        new RuntimeException("inner"))));
  }

  @Test
  void aRedisPasswordIsNeverPrinted() {
    assertEquals("redis://cache.internal:6380",
        Demo.withoutCredentials("redis://user:s3cret@cache.internal:6380"));
    assertEquals("(address given)", Demo.withoutCredentials("not a uri with spaces"));
  }
}
