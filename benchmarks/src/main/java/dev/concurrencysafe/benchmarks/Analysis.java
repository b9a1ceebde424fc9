package dev.concurrencysafe.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The analysis under the tables ({@code analysis.md} beside this class's resources): written by a
 * person after profiling, not generated, with this run's numbers filled in.
 *
 * <p>Thread-safety: stateless.
 */
final class Analysis {

  private Analysis() {}

  /**
   * The hand-written analysis, its {@code {{dotted.path}}} placeholders replaced by this run's
   * numbers (paths as in benchmarks.json), so its figures always match the tables above it.
   */
  static String render(Map<String, String> numbers) {
    String template;
    try (InputStream in = Analysis.class.getResourceAsStream("analysis.md")) {
      template = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read analysis.md", e);
    }
    Matcher placeholder = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (placeholder.find()) {
      String value = numbers.get(placeholder.group(1));
      if (value == null) {
        throw new IllegalStateException(
            "analysis.md names {{"
                + placeholder.group(1)
                + "}}, which is not a number of benchmarks.json");
      }
      placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    placeholder.appendTail(out);
    return out.toString();
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_.-]+)}}");
}
