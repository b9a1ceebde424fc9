package dev.concurrencysafe.opentelemetry;

import java.time.Duration;

/** Durations as OpenTelemetry records them: seconds, as a double. Thread-safety: stateless. */
final class Seconds {
  private Seconds() {}

  static double of(Duration duration) {
    return duration.getSeconds() + duration.getNano() / 1e9;
  }
}
