package dev.concurrencysafe.examples.jobs;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.LockUnavailableException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A job that every node schedules with a plain {@link ScheduledExecutorService} and that runs on
 * one node per interval: each firing calls {@code tryRun} on a spec with a {@code cooldown} of the
 * interval. The node that gets the key runs the job; the key then stays held until acquisition +
 * interval (even if the job took a millisecond), so every other firing in that interval, on any
 * node, skips: no exception, one DEBUG line, a {@code SKIPPED} event for metrics.
 *
 * <pre>{@code
 * LockSpec once = locks.with(JobKey.SCHEDULED_JOB, "nightly-report").cooldown(Duration.ofMinutes(1));
 * scheduler.scheduleAtFixedRate(() -> once.tryRun(report::generate), 0, 10, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p>Fire more often than the interval (here: {@code every}), so that the next run starts soon
 * after the cooldown ends. If Redis is unreachable the job does not run (fail closed) and that is
 * logged at WARNING: unlike a skip, it is not the normal case.
 *
 * <p>Thread-safety: thread-safe; the job runs on this object's one scheduler thread.
 */
public final class ClusterWideJob implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ClusterWideJob.class.getName());

  private final LockSpec oncePerInterval;
  private final Runnable job;
  private final String name;
  private final ScheduledExecutorService scheduler;

  /**
   * @param interval the job runs at most once per interval across all nodes sharing the Redis
   * @param every how often this node fires (shorter than {@code interval})
   */
  public ClusterWideJob(
      LockManager locks, String name, Duration interval, Duration every, Runnable job) {
    this.name = name;
    this.job = job;
    this.oncePerInterval = locks.with(JobKey.SCHEDULED_JOB, name).cooldown(interval);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "job-" + name);
              thread.setDaemon(true);
              return thread;
            });
    scheduler.scheduleAtFixedRate(this::fire, 0, every.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void fire() {
    try {
      oncePerInterval.tryRun(job::run);
    } catch (LockUnavailableException e) {
      LOG.log(Level.WARNING, "job {0} did not run: {1}", name, e.getMessage());
    } catch (RuntimeException e) {
      // an exception would cancel the schedule: report it and keep firing
      LOG.log(Level.WARNING, "job " + name + " failed", e);
    }
  }

  /** Stops firing; a run in progress completes. */
  @Override
  public void close() throws InterruptedException {
    scheduler.shutdown();
    if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
      scheduler.shutdownNow();
    }
  }
}
