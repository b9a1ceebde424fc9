package dev.concurrencysafe.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measure 7: client CPU per lock cycle. Each variant runs sequentially on one thread; the figure is
 * the whole client JVM's CPU time (the calling thread, Redisson's Netty threads, GC, the renewal
 * thread) divided by the cycles, so that work handed to other threads is counted too, and the
 * calling thread's own CPU separately. The redis-server is another process and not counted. The
 * variants take turns in several rounds after a warm-up (JIT), and each variant's least CPU over
 * the rounds counts: other processes on a shared machine can only add to a round's CPU (cache and
 * scheduler interference), never take from it, so the least is the steadiest estimate. The bytes
 * the calling thread allocated per cycle are counted in the same rounds (Redisson's own threads are
 * not: this is what the caller's code path costs the heap).
 *
 * <p>Thread-safety: not thread-safe; one run at a time.
 */
final class CpuProbe {

  /** The round with the least process CPU, in µs per cycle. */
  record Score(
      String label,
      double processMicros,
      double callerMicros,
      double callerBytes,
      double wallMicros,
      double switchesPerCycle) {}

  private final int cyclesPerRound;
  private final int rounds;

  CpuProbe(int cyclesPerRound, int rounds) {
    this.cyclesPerRound = cyclesPerRound;
    this.rounds = rounds;
  }

  Map<String, Score> measure(List<Variant> variants) throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (Variant v : variants) {
      for (int i = 0; i < cyclesPerRound; i++) {
        v.operation().run();
      }
    }
    Map<String, List<double[]>> samples = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (Variant v : variants) {
        long switches = contextSwitches();
        long process = os.getProcessCpuTime();
        long caller = threads.getCurrentThreadCpuTime();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        long wall = System.nanoTime();
        for (int i = 0; i < cyclesPerRound; i++) {
          v.operation().run();
        }
        double n = cyclesPerRound * 1000.0;
        samples
            .computeIfAbsent(v.id(), id -> new ArrayList<>())
            .add(
                new double[] {
                  (os.getProcessCpuTime() - process) / n,
                  (threads.getCurrentThreadCpuTime() - caller) / n,
                  (threads.getCurrentThreadAllocatedBytes() - allocated) / (double) cyclesPerRound,
                  (System.nanoTime() - wall) / n,
                  (contextSwitches() - switches) / (double) cyclesPerRound
                });
      }
    }
    Map<String, Score> scores = new LinkedHashMap<>();
    for (Variant v : variants) {
      List<double[]> runs = Results.required(samples, v.id());
      runs.sort((a, b) -> Double.compare(a[0], b[0]));
      double[] least = runs.get(0);
      scores.put(v.id(), new Score(v.label(), least[0], least[1], least[2], least[3], least[4]));
    }
    return scores;
  }

  /**
   * Context switches of every thread of this JVM so far (Linux /proc; 0 elsewhere): a thread
   * hand-off costs the CPU of a wake-up and a switch, whoever's code asked for it.
   */
  static long contextSwitches() {
    long total = 0;
    try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks =
        java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/task"))) {
      for (java.nio.file.Path task : tasks) {
        try {
          for (String line : java.nio.file.Files.readAllLines(task.resolve("status"))) {
            if (line.endsWith("ctxt_switches:") || line.contains("ctxt_switches:")) {
              total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (java.io.IOException threadEnded) {
          // a thread that ended meanwhile
        }
      }
    } catch (java.io.IOException | RuntimeException notLinux) {
      return 0;
    }
    return total;
  }

  /** NIO (the default transport) and epoll variants, interleaved in the same rounds. */
  static Map<String, Score> measureAll(Fixture fixture, CpuProbe probe) throws Exception {
    org.redisson.config.Config config = new org.redisson.config.Config();
    config.setTransportMode(org.redisson.config.TransportMode.EPOLL);
    config.useSingleServer().setAddress(fixture.server().uri());
    org.redisson.api.RedissonClient epoll = org.redisson.Redisson.create(config);
    try (dev.concurrencysafe.LockManager epollLocks =
        dev.concurrencysafe.LockManager.redisson(epoll)) {
      List<Variant> variants = new ArrayList<>(Variants.cpu(fixture.client(), fixture.locks()));
      variants.addAll(Variants.cpuEpoll(epoll, epollLocks));
      try (InterceptorRow interceptor = InterceptorRow.start(fixture.locks())) {
        variants.add(1, interceptor.variant()); // beside the DSL row it differs from
        return probe.measure(variants);
      }
    } finally {
      epoll.shutdown();
    }
  }

  /**
   * Standalone: {@code java -cp benchmarks.jar dev.concurrencysafe.benchmarks.CpuProbe [cycles]}.
   */
  public static void main(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    try (Fixture fixture = Fixture.start()) {
      Map<String, Score> scores = measureAll(fixture, new CpuProbe(cycles, 5));
      scores.forEach(
          (id, s) ->
              System.out.printf(
                  java.util.Locale.ROOT,
                  "%-8s process %6.1f µs  caller %6.1f µs %6.0f B  wall %6.1f µs  switches %5.2f  %s%n",
                  id,
                  s.processMicros(),
                  s.callerMicros(),
                  s.callerBytes(),
                  s.wallMicros(),
                  s.switchesPerCycle(),
                  s.label()));
      System.out.printf(
          "load average %.2f%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
    System.exit(0);
  }
}
