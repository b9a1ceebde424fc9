package dev.concurrencysafe.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures what the library logs through System.Logger (backed by java.util.logging here). */
final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger = Logger.getLogger("dev.concurrencysafe");
  final List<LogRecord> records = new CopyOnWriteArrayList<>();

  LogCapture() {
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  List<String> messages(Level level) {
    return records.stream().filter(r -> r.getLevel().equals(level))
        .map(r -> new java.text.MessageFormat(r.getMessage()).format(
            r.getParameters() == null ? new Object[0] : r.getParameters()))
        .toList();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
