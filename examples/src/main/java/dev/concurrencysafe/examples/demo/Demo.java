package dev.concurrencysafe.examples.demo;

import dev.concurrencysafe.examples.plain.ExampleApplication;
import dev.concurrencysafe.micrometer.LockMetrics;
import dev.concurrencysafe.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The one-command demo: runs four classic duplicate-request scenarios against a real Redis and
 * prints a short report, ending with what {@code LockMetrics} recorded in Micrometer on every
 * manager the demo used (checked against the scenarios' own counts); exits 0 only if every scenario
 * behaved as stated and the metrics agree.
 *
 * <p>Redis: {@code -Dconcurrency-safe.redis.address=redis://host:port}, else the {@code REDIS_URL}
 * environment variable, else an embedded redis-server started for the run (the one on PATH, else
 * the binary in the embedded-redis jar) and always stopped, also on Ctrl-C and on errors.
 *
 * <p>Thread-safety: {@link #run} is meant to be called by one thread at a time.
 */
public final class Demo {

  /** The MicroProfile Config / system property naming the Redis to use. */
  public static final String ADDRESS_PROPERTY = "concurrency-safe.redis.address";

  private Demo() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(System.out, configuredAddress()) ? 0 : 1;
    } catch (Exception | Error e) {
      System.err.println("demo failed: " + causes(e));
      System.err.println(
          "(is Redis reachable at the address given? run with -Ddemo.trace=true for"
              + " the stack trace)");
      if (Boolean.getBoolean("demo.trace")) {
        e.printStackTrace(System.err);
      }
      status = 2;
    }
    // Runs the shutdown hooks: an embedded redis-server that is somehow still up dies with us.
    System.exit(status);
  }

  /** The messages of an exception and its causes, innermost last. */
  static String causes(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = error; t != null && text.length() < 1000; t = t.getCause()) {
      String message = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
      if (text.indexOf(message) < 0) { // containers wrap causes and repeat their messages
        text.append(text.length() == 0 ? "" : " <- ").append(message);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return text.toString();
  }

  /** The Redis address given by the user, or null to start an embedded one. */
  static @Nullable String configuredAddress() {
    String property = System.getProperty(ADDRESS_PROPERTY);
    if (property != null && !property.isBlank()) {
      return property.trim();
    }
    String env = System.getenv("REDIS_URL");
    return env == null || env.isBlank() ? null : env.trim();
  }

  /**
   * Runs every scenario and prints the report to {@code out}.
   *
   * @param redisAddress a {@code redis://} or {@code rediss://} address, or null to start an
   *     embedded redis-server for the run
   * @return whether every scenario behaved as stated
   */
  public static boolean run(PrintStream out, @Nullable String redisAddress) throws Exception {
    long start = System.nanoTime();
    Report report = new Report(out);
    report.title("concurrency-safe demo: classic duplicate-request scenarios on a real Redis");
    RedisServer embedded = null;
    try {
      String address = redisAddress;
      if (address == null) {
        embedded = RedisServer.start();
        address = embedded.uri();
        report.title(
            "Redis: embedded redis-server "
                + embedded.uri()
                + " (pid "
                + embedded.pid()
                + "), started for this run and stopped at the end; set REDIS_URL to use yours");
      } else {
        report.title(
            "Redis: "
                + withoutCredentials(address)
                + " (yours; the demo only touches"
                + " keys under its own run prefix)");
      }
      String run = "demo-" + UUID.randomUUID().toString().substring(0, 8) + ":";
      List<String> failed = new ArrayList<>();
      // One registry for both managers; the percentiles filter must be in place before LockMetrics
      // registers its first timer, or those timers publish no percentiles.
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      registry.config().meterFilter(LockMetrics.percentiles(MetricsSummary.PERCENTILES));
      scenarios(address, run, report, new LockMetrics(registry), failed);
      // After both managers closed: every release has been reported.
      scenario(failed, "metrics", MetricsSummary.print(report, registry));
      report.blank();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (failed.isEmpty()) {
        report.title(
            String.format(
                Locale.ROOT, "RESULT: all 4 scenarios behaved as stated (%.1f s)", seconds));
      } else {
        report.title(
            String.format(
                Locale.ROOT,
                "RESULT: FAILED %s; failed claims: %s (%.1f s)",
                failed,
                report.failedClaims(),
                seconds));
      }
      return failed.isEmpty();
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** The four scenarios, each on its own manager as an application would; adds what failed. */
  private static void scenarios(
      String address, String run, Report report, LockMetrics metrics, List<String> failed)
      throws Exception {
    try (LogTap logs = LogTap.install()) {
      // Scenario 1 runs in its own CDI container, which installs (and at shutdown removes) its
      // own default manager; the plain-Java scenarios start theirs afterwards.
      scenario(
          failed,
          "1 duplicate rewards",
          DuplicateRewardsScenario.run(address, run, run + "data:", report, logs, metrics));
      try (ExampleApplication app =
          ExampleApplication.start(ExampleApplication.redisson(address), run, metrics)) {
        DemoContext ctx =
            new DemoContext(app.redissonClient(), app.locks(), run, run + "data:", report, logs);
        scenario(failed, "2 cooldown", CooldownScenario.run(ctx));
        scenario(failed, "3 naive lock bugs", NaiveLockScenario.run(ctx));
        scenario(failed, "4 waiting", WaitingScenario.run(ctx));
      }
    }
  }

  private static void scenario(List<String> failed, String name, boolean passed) {
    if (!passed) {
      failed.add(name);
    }
  }

  /** Scheme, host and port only: a password in the URL must never be printed. */
  static String withoutCredentials(String address) {
    try {
      URI uri = URI.create(address);
      if (uri.getHost() == null) {
        return "(address given)";
      }
      return uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      return "(address given)";
    }
  }
}
