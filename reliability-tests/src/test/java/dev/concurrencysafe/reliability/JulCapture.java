package dev.concurrencysafe.reliability;

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
final class JulCapture extends Handler implements AutoCloseable {

  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  JulCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  /** The library's logger, "dev.concurrencysafe". */
  static JulCapture library() {
    return new JulCapture("dev.concurrencysafe");
  }

  /** Every logger of the JVM. */
  static JulCapture all() {
    return new JulCapture("");
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  List<String> messages(Level level) {
    return records.stream().filter(r -> r.getLevel().equals(level)).map(JulCapture::format).toList();
  }

  List<String> allMessages() {
    return records.stream().map(r -> r.getLevel() + " " + format(r)
        + (r.getThrown() == null ? "" : " " + r.getThrown())).toList();
  }

  private static String format(LogRecord r) {
    Object[] parameters = r.getParameters();
    return parameters == null || parameters.length == 0 ? String.valueOf(r.getMessage())
        : new MessageFormat(r.getMessage()).format(parameters);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
