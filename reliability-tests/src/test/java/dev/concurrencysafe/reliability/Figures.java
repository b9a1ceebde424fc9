package dev.concurrencysafe.reliability;

import dev.concurrencysafe.testing.ServerBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Records a measured figure, tagged with the server it was measured on: printed, and appended to
 * {@code target/reliability-figures.txt} (the source of the numbers in docs/reliability.md).
 *
 * <p>Thread-safety: thread-safe (appends are synchronized).
 */
final class Figures {

  private Figures() {}

  /** Appends {@code scenario [server]: figure}, the server being the one this run chose. */
  static synchronized void record(String scenario, String figure) {
    String line = scenario + " [" + ServerBinary.chosen() + "]: " + figure;
    System.out.println("FIGURE " + line);
    String file = System.getProperty("reliability.figures");
    if (file != null) {
      try {
        Files.writeString(
            Path.of(file),
            line + System.lineSeparator(),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        System.out.println("could not append figure to " + file + ": " + e);
      }
    }
  }
}
