package dev.concurrencysafe.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outage part of the HTTP load section: the timeline of responses around a Redis kill and
 * restart, the run while Redis is known down, and their goals (fast 503s, no 201 without the lock,
 * a quick recovery).
 *
 * <p>Thread-safety: immutable.
 */
final class OutageReport {

  private final HttpLoadMain.Outage outage;

  OutageReport(HttpLoadMain.Outage outage) {
    this.outage = outage;
  }

  /** Responses per second around the kill and the restart. */
  void timeline(StringBuilder md) {
    Wrk.Outcome w = outage.wrk();
    md.append(
        f(
            "\n### Outage timeline\n\n`wrk -t2 -c20`, distinct users; redis-server killed"
                + " (SIGKILL) at %.1f s and restarted (empty) at %.1f s; responses per second:\n\n",
            (outage.killMs() - outage.startMs()) / 1e3,
            (outage.restartMs() - outage.startMs()) / 1e3));
    md.append("| second | 201 | 409 | 503 | other | event |\n|---|---|---|---|---|---|\n");
    Map<Long, long[]> seconds = new TreeMap<>();
    w.buckets()
        .forEach(
            (bucket, row) -> {
              long second = (bucket * 100 - outage.startMs()) / 1000;
              long[] counts = seconds.computeIfAbsent(second, s -> new long[4]);
              row.forEach(
                  (status, n) ->
                      counts[status == 201 ? 0 : status == 409 ? 1 : status == 503 ? 2 : 3] += n);
            });
    long killSecond = (outage.killMs() - outage.startMs()) / 1000;
    long restartSecond = (outage.restartMs() - outage.startMs()) / 1000;
    seconds.forEach(
        (s, c) ->
            md.append(
                f(
                    "| %d | %,d | %,d | %,d | %,d | %s |\n",
                    s,
                    c[0],
                    c[1],
                    c[2],
                    c[3],
                    s == killSecond
                        ? "Redis killed"
                        : s == restartSecond ? "Redis restarted" : "")));
    whileDown(md);
  }

  /** The separate run while Redis is known down: how fast and how often the app answered 503. */
  private void whileDown(StringBuilder md) {
    Wrk.Outcome down = outage.down();
    md.append(
        f(
            "\nWhile Redis is known down (a separate %.0f s run after one request found it"
                + " unreachable): %,d requests, %,d × 503, %,d other; latency p50 %.1f ms, p99 **%.1f ms**,"
                + " max %.1f ms; %d library log lines.\n",
            down.seconds(),
            down.requests(),
            down.count(503),
            down.requests() - down.count(503),
            down.p50() / 1e3,
            down.p99() / 1e3,
            down.max() / 1e3,
            outage.downLogLines()));
  }

  /** The outage's goals, appended to {@code goals}; {@code noneP99} (ms) is for scale. */
  void goals(List<String[]> goals, double noneP99) {
    Wrk.Outcome down = outage.down();
    goals.add(
        HttpLoadReport.goal(
            "p99 of 503 responses while down ≤ 50 ms",
            f(
                "%.1f ms (%,d × 503; for scale:"
                    + " the p99 of the endpoint without Redis in this run reached %.1f ms)",
                down.p99() / 1e3, down.count(503), noneP99),
            down.p99() <= 50_000 && down.count(503) > 0));
    // A request whose lock was taken just before the kill still ends in 201 once its release
    // failed (the key then expires by itself): nothing can be acquired from a dead server, so a
    // 201 after the in-flight requests drained (500 ms) would be a request run without the lock.
    long drained =
        count(
            outage.wrk(), 201, outage.killMs() - 99, outage.killMs() + HttpLoadReport.IN_FLIGHT_MS);
    long createdWhileDown =
        count(outage.wrk(), 201, outage.killMs() + HttpLoadReport.IN_FLIGHT_MS, outage.restartMs());
    goals.add(
        HttpLoadReport.goal(
            "no 201 while Redis is down",
            f(
                "%,d from %d ms after the kill to the restart"
                    + " (%,d in the first %d ms: requests in flight at the kill, locked before it)",
                createdWhileDown,
                HttpLoadReport.IN_FLIGHT_MS,
                drained,
                HttpLoadReport.IN_FLIGHT_MS),
            createdWhileDown == 0));
    long recovery = firstAfter(outage.wrk(), 201, outage.restartMs()) - outage.restartMs();
    goals.add(
        HttpLoadReport.goal(
            "first 201 ≤ 1 s after the restart",
            f("%,d ms (100 ms buckets)", recovery),
            recovery >= 0 && recovery <= 1000));
  }

  /** Responses of {@code status} in the 100 ms buckets lying wholly within [fromMs, toMs]. */
  private static long count(Wrk.Outcome w, int status, long fromMs, long toMs) {
    return w.buckets().entrySet().stream()
        .filter(e -> e.getKey() * 100 >= fromMs && e.getKey() * 100 + 100 <= toMs)
        .mapToLong(e -> e.getValue().getOrDefault(status, 0L))
        .sum();
  }

  /**
   * Start (ms) of the first 100 ms bucket from {@code fromMs} on with a response of {@code status}.
   */
  private static long firstAfter(Wrk.Outcome w, int status, long fromMs) {
    return w.buckets().entrySet().stream()
        .filter(e -> e.getKey() * 100 + 100 > fromMs && e.getValue().containsKey(status))
        .mapToLong(e -> e.getKey() * 100)
        .min()
        .orElse(-1);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
