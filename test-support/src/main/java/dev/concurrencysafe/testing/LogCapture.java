package dev.concurrencysafe.testing;

import java.text.MessageFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures java.util.logging records (System.Logger is backed by it here) of one logger and its
 * children, formatted with their parameters.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  public LogCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  /** The library's logger, "dev.concurrencysafe". */
  public static LogCapture library() {
    return new LogCapture("dev.concurrencysafe");
  }

  /** Every logger of the JVM. */
  public static LogCapture all() {
    return new LogCapture("");
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  /** The formatted messages logged at {@code level}. */
  public List<String> messages(Level level) {
    return records.stream()
        .filter(r -> r.getLevel().equals(level))
        .map(LogCapture::format)
        .toList();
  }

  /** Every message with its level and any attached exception. */
  public List<String> allMessages() {
    return records.stream()
        .map(
            r ->
                r.getLevel() + " " + format(r) + (r.getThrown() == null ? "" : " " + r.getThrown()))
        .toList();
  }

  private static String format(LogRecord r) {
    Object[] parameters = r.getParameters();
    return parameters == null || parameters.length == 0
        ? String.valueOf(r.getMessage())
        : new MessageFormat(r.getMessage()).format(parameters);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
