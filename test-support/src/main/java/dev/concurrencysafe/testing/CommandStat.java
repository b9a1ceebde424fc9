package dev.concurrencysafe.testing;

import java.util.Locale;

/**
 * One line of {@code INFO commandstats}. Redis 6.2 names a command ({@code
 * cmdstat_config:calls=2,...}); Redis 7 and Valkey 8 name each subcommand apart ({@code
 * cmdstat_config|resetstat:calls=1,...}): {@link #name()} is the line's name as is, {@link
 * #command()} the command it belongs to, so a filter on commands works on every server.
 *
 * @param name as the server lists it, lower case: {@code evalsha}, {@code config|resetstat}
 * @param calls the {@code calls=} field
 * @param usec the {@code usec=} field (time spent executing, µs)
 *     <p>Thread-safety: immutable.
 */
public record CommandStat(String name, long calls, long usec) {

  /** Parses {@code cmdstat_<name>:calls=N,usec=N,...}. */
  public static CommandStat parse(String line) {
    int colon = line.indexOf(':');
    if (!line.startsWith("cmdstat_") || colon < 0) {
      throw new IllegalArgumentException("not an INFO commandstats line: '" + line + "'");
    }
    String name = line.substring("cmdstat_".length(), colon).toLowerCase(Locale.ROOT);
    String fields = line.substring(colon + 1);
    return new CommandStat(name, field(fields, "calls", line), field(fields, "usec", line));
  }

  /** The command without its subcommand: {@code config} for {@code config|resetstat}. */
  public String command() {
    int bar = name.indexOf('|');
    return bar < 0 ? name : name.substring(0, bar);
  }

  private static long field(String fields, String field, String line) {
    for (String pair : fields.split(",")) {
      if (pair.startsWith(field + "=")) {
        return Long.parseLong(pair.substring(field.length() + 1).trim());
      }
    }
    throw new IllegalArgumentException(
        "INFO commandstats line without " + field + "=: '" + line + "'");
  }
}
