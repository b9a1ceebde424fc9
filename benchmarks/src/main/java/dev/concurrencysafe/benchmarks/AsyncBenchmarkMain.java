package dev.concurrencysafe.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The asynchronous rows, beside Redisson's own asynchronous lock in the same run: {@code java -cp
 * benchmarks/target/benchmarks.jar dev.concurrencysafe.benchmarks.AsyncBenchmarkMain [--smoke]
 * [--out DIR]} (or {@code benchmarks/run-async}) writes {@code benchmarks-async.md} into {@code
 * DIR} (default {@code docs}).
 *
 * <ol>
 *   <li>Uncontended asynchronous cycle: {@code acquireAsync()} then {@code Lease.closeAsync()} on a
 *       free key, one after another, against {@code RLock.tryLockAsync(0, ttl, ms, threadId)} +
 *       {@code unlockAsync(threadId)}, and an asynchronous PING (the round trip).
 *   <li>Hand-over gap: 16 asynchronous callers on one key (body 1 ms on a timer, no thread held)
 *       waiting up to 30 s each: the time from a holder's release request to the next holder's
 *       acquisition, ours against {@code tryLockAsync(30 s, ttl, ms, threadId)}.
 * </ol>
 *
 * <p>Thread-safety: run once per JVM.
 */
public final class AsyncBenchmarkMain {

  private AsyncBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    boolean smoke = false;
    Path out = Path.of("docs");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke" -> smoke = true;
        case "--out" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--out needs a directory, e.g. --out docs");
          }
          out = Path.of(args[++i]);
        }
        default ->
            throw new IllegalArgumentException(
                "unknown argument '" + args[i] + "'; expected --smoke and/or --out DIR");
      }
    }
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Files.createDirectories(out);
    AsyncHarness.Report report;
    try (Fixture fixture = Fixture.start()) {
      AsyncHarness harness =
          new AsyncHarness(
              fixture.client(),
              fixture.locks(),
              smoke ? 300 : 5_000,
              smoke ? 3 : 7,
              smoke ? 20 : 150);
      progress("async cycle and hand-over on %s", fixture.server().serverVersion());
      report = harness.run(fixture.server().serverVersion());
    }
    Files.writeString(out.resolve("benchmarks-async.md"), report.markdown());
    progress("%s", report.summary());
    progress("wrote %s/benchmarks-async.md", out);
    System.exit(0);
  }

  static void progress(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[bench-async] " + format + "%n", args);
  }
}
