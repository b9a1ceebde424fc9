package dev.concurrencysafe.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Writes maps, lists, strings, numbers and booleans as indented JSON: a few lines, so that the
 * benchmarks need no JSON library. Maps without an order of their own are sorted, so that the file
 * is stable from run to run.
 *
 * <p>Thread-safety: stateless.
 */
final class JsonWriter {

  private JsonWriter() {}

  static void write(@Nullable Object value, StringBuilder out, String indent) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      // Map.of has no iteration order: sort such maps so the file is stable from run to run.
      Map<?, ?> ordered =
          map instanceof LinkedHashMap || map instanceof TreeMap ? map : new TreeMap<>(map);
      out.append("{\n");
      boolean first = true;
      for (Map.Entry<?, ?> entry : ordered.entrySet()) {
        if (!first) {
          out.append(",\n");
        }
        first = false;
        out.append(indent).append("  ");
        string(String.valueOf(entry.getKey()), out);
        out.append(": ");
        write(entry.getValue(), out, indent + "  ");
      }
      out.append('\n').append(indent).append('}');
    } else if (value instanceof List<?> list) {
      out.append("[\n");
      for (int i = 0; i < list.size(); i++) {
        out.append(indent).append("  ");
        write(list.get(i), out, indent + "  ");
        out.append(i + 1 < list.size() ? ",\n" : "\n");
      }
      out.append(indent).append(']');
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value == null) {
      out.append("null");
    } else {
      string(value.toString(), out);
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
