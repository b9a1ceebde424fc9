package dev.concurrencysafe.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Runs the whole benchmark with tiny counts against a real redis-server, so it cannot rot: every
 * measure must produce every row and all three files must be written. Numbers are not asserted (a
 * smoke run's numbers mean nothing), but mutual exclusion is: no two bodies may overlap.
 */
class SmokeRunTest {

  @TempDir Path out;

  @Test
  void smokeRunProducesEveryRowAndAllThreeFiles() throws Exception {
    Results r = BenchmarkMain.run(BenchSettings.smokeRun(), out);

    Set<String> latencyRows =
        Set.of("dsl", "acquire", "rlock", "naive", "engine", "backend", "rtt");
    Set<String> cycleRows = new java.util.HashSet<>(latencyRows);
    cycleRows.add("interceptor");
    assertEquals(cycleRows, r.uncontended().keySet());
    assertEquals(latencyRows, r.refused().keySet());
    r.uncontended().values().forEach(d -> assertTrue(d.count() > 0 && d.p50Micros() > 0));
    r.refused().values().forEach(d -> assertTrue(d.count() > 0 && d.p50Micros() > 0));

    assertEquals(
        List.of("ours", "handover", "rlock", "naive"), List.copyOf(r.contention().keySet()));
    r.contention()
        .forEach(
            (id, o) -> {
              assertTrue(o.handovers() > 0, id + " handed the lock over at least once");
              assertEquals(0, o.overlaps(), id + ": two bodies ran at once");
            });
    assertEquals(Set.of("dsl", "rlock", "rttGet"), r.throughput().keySet());
    r.throughput().values().forEach(s -> assertTrue(s.opsPerSecond() > 0));
    assertEquals(Set.of("dsl", "rlock"), r.interleavedThroughput().keySet());
    r.interleavedThroughput().values().forEach(s -> assertTrue(s.minOpsPerSecond() > 0));
    assertEquals(cycleRows, r.cycleCommands().keySet());
    assertEquals(latencyRows, r.refusedCommands().keySet());
    r.cycleCommands()
        .forEach(
            (id, c) ->
                assertTrue(
                    id.equals("engine") ? c.allPerOp() == 0 : c.clientIssuedPerOp() >= 1, id));
    assertTrue(
        r.cycleCommands().get("dsl").insideScriptsPerOp() > 0,
        "MONITOR tells script-issued commands apart");
    assertEquals(BenchSettings.smokeRun().memoryKeys(), r.memory().keys());
    assertTrue(r.memory().redisKeysLeft() >= 0 && r.memory().heapBeforeBytes() > 0);

    assertEquals(
        Set.of(
            "dsl",
            "interceptor",
            "rlock",
            "engine",
            "backend",
            "gets",
            "dsl-epoll",
            "rlock-epoll",
            "gets-epoll"),
        r.cpu().keySet());
    r.cpu().forEach((id, c) -> assertTrue(c.wallMicros() > 0, id));
    // every lock cycle allocates on its caller's thread (a lease at least): 0 means not measured
    for (String id : List.of("dsl", "interceptor", "rlock")) {
      assertTrue(r.cpu().get(id).callerBytes() > 0, () -> id + ": " + r.cpu().get(id));
    }

    String md = Files.readString(out.resolve("benchmarks.md"));
    for (String section :
        List.of(
            "## Goals",
            "## 1.",
            "## 2.",
            "## 3.",
            "## 4.",
            "## 5.",
            "## 6.",
            "## 7.",
            "SMOKE run")) {
      assertTrue(md.contains(section), "benchmarks.md has " + section);
    }
    assertEquals(
        Goals.evaluate(r).size(),
        md.lines().filter(l -> l.matches("\\| [1-7] \\|.*")).count(),
        "one goal row per goal");

    String json = Files.readString(out.resolve("benchmarks.json"));
    for (String key :
        List.of(
            "\"uncontendedCycle\"",
            "\"refusedFailFast\"",
            "\"contention\"",
            "\"throughput32Threads\"",
            "\"throughput32ThreadsInterleaved\"",
            "\"commandsPerCycle\"",
            "\"commandsPerRefusal\"",
            "\"memory\"",
            "\"goals\"",
            "\"rttP50Micros\"",
            "\"smoke\": true")) {
      assertTrue(json.contains(key), "benchmarks.json has " + key);
    }

    Document svg =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(out.resolve("benchmarks-handover.svg").toFile());
    assertEquals("svg", svg.getDocumentElement().getTagName());
    assertEquals(4, svg.getElementsByTagName("polyline").getLength(), "one line per protocol");
  }
}
