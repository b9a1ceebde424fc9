package dev.concurrencysafe.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * docs/benchmarks-handover.svg: the cumulative distribution of hand-over gaps (measure 3), one line
 * per protocol, on a logarithmic time axis, with the RTT, 2 RTT and 10 RTT marks of the goals. A
 * point (x, y) reads "y % of hand-overs took at most x". Hand-written SVG text: no chart library.
 *
 * <p>Thread-safety: stateless.
 */
final class SvgChart {

  /** One line of the chart. */
  record Series(String label, String color, Distribution gaps) {}

  private static final int WIDTH = 800;
  private static final int HEIGHT = 480;
  private static final int LEFT = 70;
  private static final int RIGHT = 780;
  private static final int TOP = 50;
  private static final int BOTTOM = 370;
  private static final int MAX_POINTS = 400;

  private SvgChart() {}

  static String render(String title, List<Series> series, double rttMicros) {
    double minMicros = Double.MAX_VALUE;
    double maxMicros = 0;
    for (Series s : series) {
      long[] sorted = s.gaps().sortedNanos();
      if (sorted.length > 0) {
        minMicros = Math.min(minMicros, Math.max(1, sorted[0] / 1000.0));
        maxMicros = Math.max(maxMicros, sorted[sorted.length - 1] / 1000.0);
      }
    }
    minMicros = Math.min(minMicros, rttMicros);
    maxMicros = Math.max(maxMicros, 10 * rttMicros);
    int lowDecade = (int) Math.floor(Math.log10(Math.max(1, minMicros)));
    int highDecade = Math.max(lowDecade + 1, (int) Math.ceil(Math.log10(Math.max(1, maxMicros))));
    Axis axis = new Axis(lowDecade, highDecade);

    StringBuilder svg = new StringBuilder();
    svg.append(
        f(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
            WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, HEIGHT));
    svg.append(
        f(
            "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>\n",
            LEFT, escape(title)));
    grid(svg, axis, lowDecade, highDecade);
    svg.append(
        f(
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
            LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP));
    svg.append(
        f(
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">hand-over gap: body end of holder n"
                + " → body start of holder n+1 (log scale)</text>\n",
            (LEFT + RIGHT) / 2, BOTTOM + 40));
    svg.append(
        f(
            "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\">hand-overs"
                + " at most this long</text>\n",
            (TOP + BOTTOM) / 2));
    rttMarks(svg, axis, rttMicros);
    legend(svg, axis, series);
    return svg.append("</svg>\n").toString();
  }

  /** Dashed lines at 1, 2 and 10 round trips: where a hand-over could be at best. */
  private static void rttMarks(StringBuilder svg, Axis axis, double rttMicros) {
    double[] marks = {1, 2, 10};
    for (double mark : marks) {
      double x = axis.x(mark * rttMicros);
      svg.append(
          f(
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\""
                  + " stroke-dasharray=\"4 3\"/>\n",
              x, TOP, x, BOTTOM));
      svg.append(
          f(
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>\n",
              x, TOP - 6, mark == 1 ? "RTT" : f("%.0f RTT", mark)));
    }
  }

  /** Each series' curve and its legend row. */
  private static void legend(StringBuilder svg, Axis axis, List<Series> series) {
    int legendY = BOTTOM + 62;
    int legendX = LEFT;
    for (Series s : series) {
      // one legend row per series: the labels carry their p50/p99 and would not fit side by side
      svg.append(polyline(s, axis));
      svg.append(
          f(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>\n",
              legendX, legendY - 4, legendX + 18, legendY - 4, s.color()));
      String text =
          f(
              "%s (p50 %s, p99 %s)",
              s.label(), micros(s.gaps().p50Micros()), micros(s.gaps().p99Micros()));
      svg.append(f("<text x=\"%d\" y=\"%d\">%s</text>\n", legendX + 24, legendY, escape(text)));
      legendY += 18;
    }
  }

  /** Vertical lines at each decade of the time axis, horizontal ones every 25 %. */
  private static void grid(StringBuilder svg, Axis axis, int lowDecade, int highDecade) {
    for (int decade = lowDecade; decade <= highDecade; decade++) {
      double x = axis.x(Math.pow(10, decade));
      svg.append(
          f(
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n",
              x, TOP, x, BOTTOM));
      svg.append(
          f(
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
              x, BOTTOM + 18, timeLabel(decade)));
    }
    for (int percent = 0; percent <= 100; percent += 25) {
      double y = BOTTOM - (BOTTOM - TOP) * percent / 100.0;
      svg.append(
          f(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
              LEFT, y, RIGHT, y));
      svg.append(
          f(
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d %%</text>\n",
              LEFT - 6, y + 4, percent));
    }
  }

  private static String polyline(Series s, Axis axis) {
    long[] sorted = s.gaps().sortedNanos();
    if (sorted.length == 0) {
      return "";
    }
    List<String> points = new ArrayList<>();
    int step = Math.max(1, sorted.length / MAX_POINTS);
    for (int i = 0; i < sorted.length; i += step) {
      points.add(point(axis, sorted[i], (double) (i + 1) / sorted.length));
    }
    points.add(point(axis, sorted[sorted.length - 1], 1.0));
    return f(
        "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n",
        s.color(), String.join(" ", points));
  }

  private static String point(Axis axis, long nanos, double fraction) {
    return f("%.1f,%.1f", axis.x(Math.max(1, nanos / 1000.0)), BOTTOM - (BOTTOM - TOP) * fraction);
  }

  private static String timeLabel(int decade) {
    String[] labels = {
      "1 µs", "10 µs", "100 µs", "1 ms", "10 ms", "100 ms", "1 s", "10 s", "100 s"
    };
    return decade >= 0 && decade < labels.length ? labels[decade] : f("1e%d µs", decade);
  }

  static String micros(double micros) {
    return micros >= 1000 ? f("%.1f ms", micros / 1000) : f("%.0f µs", micros);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** Log-scale x mapping of microseconds onto the plot area. */
  private record Axis(int lowDecade, int highDecade) {
    double x(double micros) {
      double position = (Math.log10(Math.max(micros, 1e-3)) - lowDecade) / (highDecade - lowDecade);
      return LEFT + (RIGHT - LEFT) * Math.min(1, Math.max(0, position));
    }
  }
}
