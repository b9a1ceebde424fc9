package dev.concurrencysafe.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the lock costs the HTTP app against its floors (no Redis call, two GETs, raw RLock): the
 * medians of the interleaved rounds, as a table and as goals.
 *
 * <p>Thread-safety: immutable.
 */
final class HttpFloors {

  private final Map<String, List<HttpLoadMain.Run>> runs;

  HttpFloors(Map<String, List<HttpLoadMain.Run>> runs) {
    this.runs = runs;
  }

  /** Medians per variant and the lock's cost against each floor. */
  void table(StringBuilder md) {
    md.append("\n### What the lock costs, against its floors (medians of the rounds)\n\n");
    md.append(
        "| variant | req/s | app CPU µs/request | CPU vs no Redis | CPU vs two GETs |"
            + " CPU vs raw RLock | req/s vs raw RLock |\n|---|---|---|---|---|---|---|\n");
    double none = medianCpu("none");
    double gets = medianCpu("gets");
    double rlock = medianCpu("rlock");
    double rlockRate = medianRate("rlock");
    for (String variant : HttpLoadMain.VARIANTS.keySet()) {
      double cpu = medianCpu(variant);
      md.append(
          f(
              "| %s | %.0f | %.0f | %.2f× | %.2f× | %.2f× | %.2f× |\n",
              variant,
              medianRate(variant),
              cpu,
              cpu / none,
              cpu / gets,
              cpu / rlock,
              medianRate(variant) / rlockRate));
    }
    double annotation = medianCpu("annotation");
    md.append(
        f(
            "\n`@ConcurrencySafe` costs the app %.0f µs of CPU per request over no Redis call"
                + " at all, %.0f µs over two GETs through one client and %+.0f µs against raw RLock; the"
                + " DSL %+.0f µs against raw RLock.\n",
            annotation - none, annotation - gets, annotation - rlock, medianCpu("dsl") - rlock));
  }

  /** App CPU per request of the annotation and the DSL against raw RLock and two GETs. */
  void goals(List<String[]> goals) {
    double rlock = medianCpu("rlock");
    double gets = medianCpu("gets");
    for (String variant : List.of("annotation", "dsl")) {
      String name = variant.equals("annotation") ? "`@ConcurrencySafe`" : "the DSL";
      double cpu = medianCpu(variant);
      goals.add(
          HttpLoadReport.goal(
              f("%s app CPU per request ≤ %.1f× raw RLock's", name, HttpLoadReport.GOAL_VS_RLOCK),
              f("%.2f× (%.0f vs %.0f µs)", cpu / rlock, cpu, rlock),
              cpu <= HttpLoadReport.GOAL_VS_RLOCK * rlock));
      goals.add(
          HttpLoadReport.goal(
              f("%s app CPU per request ≤ %.1f× two GETs'", name, HttpLoadReport.GOAL_VS_GETS),
              f("%.2f× (%.0f vs %.0f µs)", cpu / gets, cpu, gets),
              cpu <= HttpLoadReport.GOAL_VS_GETS * gets));
    }
  }

  private double medianRate(String name) {
    return median(
        Results.required(runs, name).stream()
            .mapToDouble(r -> r.wrk().requestsPerSecond())
            .toArray());
  }

  private double medianCpu(String name) {
    return median(
        Results.required(runs, name).stream()
            .mapToDouble(HttpLoadMain.Run::cpuMicrosPerRequest)
            .toArray());
  }

  private static double median(double[] values) {
    java.util.Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
