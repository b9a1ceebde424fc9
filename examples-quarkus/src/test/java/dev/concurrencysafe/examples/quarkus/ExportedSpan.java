package dev.concurrencysafe.examples.quarkus;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A span as the Java agent's {@code logging-otlp} exporter writes it: OTLP JSON, one line per batch
 * in the application's log. Read with patterns (the test has no JSON library); the fields read are
 * those the OTLP JSON encoding always writes for a span.
 *
 * <p>Thread-safety: immutable.
 */
record ExportedSpan(
    String traceId, String spanId, String parentSpanId, String name, Kind kind, String json) {

  /** OTLP's SpanKind numbers. */
  enum Kind {
    UNSPECIFIED,
    INTERNAL,
    SERVER,
    CLIENT,
    PRODUCER,
    CONSUMER
  }

  private static final String SPAN_START = "{\"traceId\":\"";
  private static final Pattern SPAN_ID = Pattern.compile("^\"spanId\":\"([0-9a-f]{16})\"");
  private static final Pattern PARENT = Pattern.compile("\"parentSpanId\":\"([0-9a-f]{16})\"");
  private static final Pattern NAME = Pattern.compile("\"name\":\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern KIND = Pattern.compile("\"kind\":(\\d)");

  /** Every span in {@code log}'s complete lines, in the order written. */
  static List<ExportedSpan> parse(String written) {
    // the application may be writing the last line still
    String log = written.substring(0, written.lastIndexOf('\n') + 1);
    List<ExportedSpan> spans = new ArrayList<>();
    int at = log.indexOf(SPAN_START);
    while (at >= 0) {
      int next = log.indexOf(SPAN_START, at + 1);
      int idStart = at + SPAN_START.length();
      String traceId = log.substring(idStart, Math.min(log.length(), idStart + 32));
      // a batch is one log line: the last span of a line ends at the line's end
      int lineEnd = log.indexOf('\n', at);
      int end = next < 0 ? log.length() : next;
      String json = log.substring(at, lineEnd >= 0 && lineEnd < end ? lineEnd : end);
      ExportedSpan span =
          json.length() <= SPAN_START.length() + 34
              ? null
              : span(traceId, json.substring(SPAN_START.length() + 34));
      if (span != null) {
        spans.add(span);
      }
      at = next;
    }
    return spans;
  }

  private static @Nullable ExportedSpan span(String traceId, String rest) {
    Matcher id = SPAN_ID.matcher(rest);
    Matcher name = NAME.matcher(rest);
    Matcher kind = KIND.matcher(rest);
    if (!id.find() || !name.find() || !kind.find()) {
      return null; // a link's or a truncated line's trace id, not a span
    }
    Matcher parent = PARENT.matcher(rest);
    String parentId = parent.find() && parent.start() < name.start() ? parent.group(1) : "";
    return new ExportedSpan(
        traceId,
        id.group(1),
        parentId,
        name.group(1),
        Kind.values()[Integer.parseInt(kind.group(1))],
        "{\"traceId\":\"" + traceId + "\"," + rest);
  }

  /** The value of the string attribute {@code key}, or null. */
  @Nullable String stringAttribute(String key) {
    Matcher m =
        Pattern.compile(
                "\\{\"key\":\""
                    + Pattern.quote(key)
                    + "\",\"value\":\\{\"stringValue\":\"((?:[^\"\\\\]|\\\\.)*)\"\\}\\}")
            .matcher(json);
    return m.find() ? m.group(1) : null;
  }

  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  int statusCode() {
    Matcher m = Pattern.compile("\"status\":\\{[^}]*\"code\":(\\d)").matcher(json);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** Whether the span has the attribute {@code key}, whatever its type. */
  boolean hasAttribute(String key) {
    return json.contains("{\"key\":\"" + key + "\",");
  }

  @Override
  public String toString() {
    return name + " " + kind + " " + spanId + (parentSpanId.isEmpty() ? "" : " <- " + parentSpanId);
  }
}
