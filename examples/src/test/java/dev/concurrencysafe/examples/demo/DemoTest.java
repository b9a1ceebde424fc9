package dev.concurrencysafe.examples.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the demo exactly as {@code ./demo} does (minus the build), so its README command cannot rot.
 */
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
    for (String section :
        new String[] {
          "1. Duplicate rewards",
          "2. Refresh at most once",
          "3. A naive lock's bugs",
          "4. Waiting instead of refusing"
        }) {
      assertTrue(report.contains(section), section + " missing from\n" + report);
    }

    assertMetricsSummary(report);

    Matcher pid = Pattern.compile("\\(pid (\\d+)\\)").matcher(report);
    assertTrue(pid.find(), report);
    boolean alive =
        ProcessHandle.of(Long.parseLong(pid.group(1))).map(ProcessHandle::isAlive).orElse(false);
    assertFalse(alive, "the demo's redis-server (pid " + pid.group(1) + ") is still running");
  }

  /**
   * The closing summary is read back from Micrometer; its rows must match what the scenarios did
   * (the scenarios' own counts are asserted above through their [ok] claims).
   */
  private static void assertMetricsSummary(String report) {
    int summary = report.indexOf("Metrics summary: Micrometer meters from LockMetrics");
    assertTrue(
        summary > report.indexOf("4. Waiting instead of refusing"),
        "the metrics summary is printed after the scenarios\n" + report);
    Map<String, long[]> rows = new HashMap<>();
    Matcher row =
        Pattern.compile(
                "(?m)^   (\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)"
                    + "\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*$")
            .matcher(report.substring(summary));
    Map<String, String[]> times = new HashMap<>();
    while (row.find()) {
      long[] counts = new long[5];
      for (int i = 0; i < 5; i++) {
        counts[i] = Long.parseLong(row.group(i + 2));
      }
      rows.put(row.group(1), counts);
      times.put(row.group(1), new String[] {row.group(7), row.group(8), row.group(9)});
    }
    assertEquals(
        Set.of(
            "CacheKey.MISSION_USER_GIVE_REWARD_LOCK",
            "CacheKey.DODO_REFRESH_INTERESTED_PRODUCT",
            "(literal)"),
        rows.keySet(),
        report);
    // acquired, blocked, unavailable, lease-lost, cooldowns
    // scenario 1, through the CDI extension's manager: one payout per user, 45 duplicates refused
    assertArrayEquals(
        new long[] {5, 45, 0, 0, 0}, rows.get("CacheKey.MISSION_USER_GIVE_REWARD_LOCK"), report);
    // scenario 2: refresh #1 and #3 ran and each started a cooldown, #2 was refused
    assertArrayEquals(
        new long[] {2, 1, 0, 0, 2}, rows.get("CacheKey.DODO_REFRESH_INTERESTED_PRODUCT"), report);
    // scenarios 3 and 4: 1 + 2 + 10 acquired, 2 refused; 3(b) may be seen as one lost lease
    long[] literal = rows.get("(literal)");
    assertArrayEquals(new long[] {13, 2, 0}, Arrays.copyOf(literal, 3), report);
    assertTrue(literal[3] <= 1 && literal[4] == 0, report);
    // p50/p99 of wait (acquired), wait (blocked) and held: "x.y/z.w" in ms, p50 <= p99
    Pattern p50p99 = Pattern.compile("(\\d+\\.\\d)/(\\d+\\.\\d)");
    times.forEach(
        (key, columns) -> {
          for (String column : new String[] {columns[0], columns[2]}) {
            Matcher pair = p50p99.matcher(column);
            assertTrue(pair.matches(), key + ": " + column + "\n" + report);
            assertTrue(
                Double.parseDouble(pair.group(1)) <= Double.parseDouble(pair.group(2)), report);
          }
        });
    // scenario 1's payouts are held until all 45 duplicates were answered: held > 0 ms
    Matcher held = p50p99.matcher(times.get("CacheKey.MISSION_USER_GIVE_REWARD_LOCK")[2]);
    assertTrue(held.matches() && Double.parseDouble(held.group(1)) > 0, report);
  }

  @Test
  void aFailureIsOneLineOfCausesWithoutRepeats() {
    RuntimeException wrapped =
        new IllegalStateException(
            "deployment failed: connection refused", new RuntimeException("connection refused"));
    assertEquals("deployment failed: connection refused", Demo.causes(wrapped));
    assertEquals(
        "outer <- inner",
        Demo.causes(new RuntimeException("outer", new RuntimeException("inner"))));
  }

  @Test
  void aRedisPasswordIsNeverPrinted() {
    assertEquals(
        "redis://cache.internal:6380",
        Demo.withoutCredentials("redis://user:s3cret@cache.internal:6380"));
    assertEquals("(address given)", Demo.withoutCredentials("not a uri with spaces"));
  }
}
