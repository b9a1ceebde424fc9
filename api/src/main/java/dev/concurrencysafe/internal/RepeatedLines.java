package dev.concurrencysafe.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One kind of log line that can repeat at the rate of the application's requests (refusals of a
 * duplicate, runs without the lock during an outage, failed releases): the first occurrence per key
 * name and interval is written in full, the others of that interval are counted and summed up in
 * one line when the interval ends ({@code ... and 12,345 more refusals of CacheKey.PURCHASE in the
 * last 10 s}). A duplicate storm from a retrying client therefore writes two lines per key name per
 * interval, not one per request; listeners and metrics still see every event.
 *
 * <p>Thread-safety: thread-safe; the summaries are written on the given scheduler.
 */
final class RepeatedLines {

  /** A window's count once its summary was taken: later occurrences open a new window. */
  private static final long CLOSED = -1;

  private final String what;
  private final Duration interval;
  private final String intervalText;
  private final ScheduledExecutorService scheduler;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /**
   * @param what the plural noun of the summary, e.g. "refusals"
   * @param interval how long a window lasts; zero writes every line
   */
  RepeatedLines(String what, Duration interval, ScheduledExecutorService scheduler) {
    this.what = what;
    this.interval = interval;
    this.intervalText = describe(interval);
    this.scheduler = scheduler;
  }

  /** Writes {@code message} (a System.Logger format) or counts it, per {@code keyName}. */
  void log(Level level, String keyName, String message, Object... params) {
    if (!LockEngine.LOG.isLoggable(level)) {
      return;
    }
    if (interval.isZero()) {
      LockEngine.LOG.log(level, message, params);
      return;
    }
    while (true) {
      Window window = windows.get(keyName);
      if (window == null) {
        Window opened = new Window(level);
        if (windows.putIfAbsent(keyName, opened) == null) {
          LockEngine.LOG.log(level, message, params);
          schedule(keyName, opened);
          return;
        }
      } else if (window.count()) {
        return;
      }
      // the window closed meanwhile (or another thread opened one): look again
    }
  }

  private void schedule(String keyName, Window window) {
    try {
      scheduler.schedule(
          () -> summarise(keyName, window), interval.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shuttingDown) {
      // the manager is closing: flush() writes what is pending
    }
  }

  private void summarise(String keyName, Window window) {
    windows.remove(keyName, window);
    long more = window.close();
    if (more > 0) {
      LockEngine.LOG.log(
          window.level,
          "[concurrency-safe] ... and {0} more {1} of {2} in the last {3}",
          String.format(Locale.ROOT, "%,d", more),
          what,
          keyName,
          intervalText);
    }
  }

  /** Writes every pending summary now (the manager is shutting down). */
  void flush() {
    windows.forEach(this::summarise);
  }

  static String describe(Duration interval) {
    long millis = interval.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /** One key name's occurrences within one interval after its first. */
  private static final class Window {
    private final Level level;
    private final AtomicLong more = new AtomicLong();

    Window(Level level) {
      this.level = level;
    }

    /** Counts one more occurrence; false if the window already closed. */
    boolean count() {
      long current;
      do {
        current = more.get();
        if (current == CLOSED) {
          return false;
        }
      } while (!more.compareAndSet(current, current + 1));
      return true;
    }

    long close() {
      long counted = more.getAndSet(CLOSED);
      return counted == CLOSED ? 0 : counted;
    }
  }
}
