package dev.concurrencysafe.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet goals' verdicts from given numbers, and the fleet section's place in benchmarks.md. */
class FleetReportTest {

  /** The goals are judged on the handOver(true) rows; the default protocol's grow regardless. */
  private static FleetReport report(double redis16, long publishSent) {
    return new FleetReport(
        "Redis 7.0.15",
        List.of(
            new FleetMain.Uncontended("handover", 1, 100, 300),
            new FleetMain.Uncontended("handover", 16, redis16, 310),
            new FleetMain.Uncontended("ours", 1, 100, 300),
            new FleetMain.Uncontended("ours", 16, 220, 800),
            new FleetMain.Uncontended("rlock", 1, 120, 200),
            new FleetMain.Uncontended("rlock", 16, 125, 190)),
        List.of(
            new FleetMain.Hot("handover", 1, 1000, 10, 100, 0, "evalsha 2.0"),
            new FleetMain.Hot("handover", 8, 1000, 11, 150, 0, "evalsha 2.0"),
            new FleetMain.Hot("ours", 8, 1000, 38, 350, 0, "evalsha 9.0"),
            new FleetMain.Hot("rlock", 8, 1000, 40, 300, 0, "evalsha 9.0")),
        List.of(
            new FleetMain.ClusterBus("handover", 1000, publishSent, publishSent, 0),
            new FleetMain.ClusterBus("ours", 1000, 2, 2, 0),
            new FleetMain.ClusterBus("rlock", 1000, 0, 0, 0)),
        0.5,
        0.5,
        false);
  }

  private static String verdict(FleetReport report, String goalStart) {
    return report.goals().stream()
        .filter(g -> g[0].startsWith(goalStart))
        .findFirst()
        .orElseThrow()[2];
  }

  @Test
  void growthWithTheFleetAndClusterMessagesDecideTheVerdicts() {
    FleetReport flat = report(105, 0);
    assertEquals("met", verdict(flat, "Redis CPU per uncontended cycle, 16 nodes"));
    assertEquals("met", verdict(flat, "cluster-bus publish messages"));
    assertEquals("met", verdict(flat, "hot key 8 × 2: commands per body ≤ 0.6×"));
    FleetReport growing = report(220, 2);
    assertEquals("**missed**", verdict(growing, "Redis CPU per uncontended cycle, 16 nodes"));
    assertEquals("**missed**", verdict(growing, "Redis CPU per uncontended cycle ≤ 1.0× RLock"));
    assertEquals("**missed**", verdict(growing, "cluster-bus publish messages"));
    assertTrue(flat.render().contains("concurrency-safe, handOver(true)"));
  }

  @Test
  void fleetSectionsAreSplicedPerServerAndReplacedOnRerun(@TempDir Path out) throws Exception {
    Files.writeString(out.resolve("benchmarks.md"), "# Benchmarks\n");
    Files.writeString(out.resolve("benchmarks-fleet-redis-7.0.15.md"), "redis one\n");
    Files.writeString(out.resolve("benchmarks-fleet-valkey-8.0.1.md"), "valkey\n");
    Sections.spliceFleet(out);
    Files.writeString(out.resolve("benchmarks-fleet-redis-7.0.15.md"), "redis two\n");
    Sections.spliceFleet(out);
    String md = Files.readString(out.resolve("benchmarks.md"));
    assertTrue(md.contains("redis two") && !md.contains("redis one"), md);
    assertTrue(md.indexOf("redis two") < md.indexOf("valkey"), md);
    assertEquals(1, md.split("valkey\n", -1).length - 1, md);
  }
}
