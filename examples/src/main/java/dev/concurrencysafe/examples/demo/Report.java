package dev.concurrencysafe.examples.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The demo's printed report: numbered sections, indented lines, and one verdict per claim. A
 * scenario passes when all its claims held.
 *
 * <p>Thread-safety: not thread-safe; scenarios print from the main thread only.
 */
final class Report {

  private final PrintStream out;
  private final List<String> failedClaims = new ArrayList<>();
  private int claimsInSection;
  private int failedInSection;

  Report(PrintStream out) {
    this.out = out;
  }

  void title(String text) {
    out.println(text);
  }

  void section(int number, String title) {
    out.println();
    out.println(number + ". " + title);
    claimsInSection = 0;
    failedInSection = 0;
  }

  /** An unnumbered section, such as the closing metrics summary. */
  void heading(String title) {
    out.println();
    out.println(title);
    claimsInSection = 0;
    failedInSection = 0;
  }

  void line(String text) {
    out.println("   " + text);
  }

  void line(String format, @Nullable Object... args) {
    line(String.format(Locale.ROOT, format, args));
  }

  /** Records whether {@code claim} held, printing it with a check mark or a FAIL. */
  boolean check(boolean held, String claim) {
    claimsInSection++;
    out.println("   " + (held ? "[ok]   " : "[FAIL] ") + claim);
    if (!held) {
      failedInSection++;
      failedClaims.add(claim);
    }
    return held;
  }

  /** Whether every claim of the current section held (and it made at least one). */
  boolean sectionPassed() {
    return claimsInSection > 0 && failedInSection == 0;
  }

  List<String> failedClaims() {
    return List.copyOf(failedClaims);
  }

  void blank() {
    out.println();
  }

  /** Milliseconds with one decimal, e.g. "12.3". */
  static String millis(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
