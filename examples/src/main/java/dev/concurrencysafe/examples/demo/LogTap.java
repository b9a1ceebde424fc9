package dev.concurrencysafe.examples.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects the library's log lines (it logs through {@link System.Logger}, which is
 * java.util.logging here) instead of printing them, so the report stays readable and can quote
 * them: the 45 "blocked" lines of scenario 1, the "no longer held at release" line of scenario 3.
 *
 * <p>Thread-safety: thread-safe (synchronized).
 */
final class LogTap extends Handler implements AutoCloseable {

  private static final String LIBRARY_LOGGER = "dev.concurrencysafe";

  private final Logger logger = Logger.getLogger(LIBRARY_LOGGER);
  private final boolean previousUseParent;
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final List<String> lines = new ArrayList<>();

  private LogTap() {
    previousUseParent = logger.getUseParentHandlers();
  }

  /** Starts collecting the library's log lines (and stops printing them) until closed. */
  static LogTap install() {
    LogTap tap = new LogTap();
    tap.setLevel(Level.ALL);
    tap.logger.addHandler(tap);
    tap.logger.setUseParentHandlers(false);
    return tap;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    lines.add(record.getLevel().getName() + " " + formatter.formatMessage(record));
  }

  /** The lines collected since the last call, and forgets them. */
  synchronized List<String> drain() {
    List<String> copy = List.copyOf(lines);
    lines.clear();
    return copy;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setUseParentHandlers(previousUseParent);
  }
}
