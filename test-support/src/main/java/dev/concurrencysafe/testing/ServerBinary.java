package dev.concurrencysafe.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import redis.embedded.core.ExecutableProvider;

/**
 * Which server binary the tests, benchmarks and the demo start: the one named by the environment
 * variable {@value #ENV} (or the system property {@value #PROPERTY}, which wins): a path, a command
 * on {@code PATH} such as {@code valkey-server}, or {@value #EMBEDDED} for the Redis 6.2 binary
 * inside the embedded-redis jar; by default {@code redis-server} on {@code PATH}, else the embedded
 * one. Resolved once per JVM, so a whole run uses one server, and its product and version (e.g.
 * "Valkey 8.0.1") are known for logs and reports.
 *
 * <p>Thread-safety: immutable; {@link #chosen()} is safe from any thread.
 */
public final class ServerBinary {

  /** Environment variable naming the server executable. */
  public static final String ENV = "CONCURRENCY_SAFE_REDIS_SERVER";

  /** System property naming the server executable (wins over {@link #ENV}). */
  public static final String PROPERTY = "concurrency-safe.redis-server";

  /** The value of {@link #ENV} that chooses the binary shipped in the embedded-redis jar. */
  public static final String EMBEDDED = "embedded";

  private static final Pattern VERSION =
      Pattern.compile("^(Redis|Valkey) server v=(\\S+)", Pattern.CASE_INSENSITIVE);

  private final Path path;
  private final String product;
  private final String version;
  private final String origin;

  private ServerBinary(Path path, String product, String version, String origin) {
    this.path = path;
    this.product = product;
    this.version = version;
    this.origin = origin;
  }

  /** The binary of this JVM's run, resolved on first use. */
  public static ServerBinary chosen() {
    return Holder.CHOSEN;
  }

  private static final class Holder {
    static final ServerBinary CHOSEN = resolve();
  }

  private static ServerBinary resolve() {
    String named = System.getProperty(PROPERTY);
    String origin = "system property " + PROPERTY;
    if (named == null || named.isBlank()) {
      named = System.getenv(ENV);
      origin = "environment variable " + ENV;
    }
    if (named != null && !named.isBlank()) {
      return named(named.trim(), origin);
    }
    Path onPath = onPath("redis-server");
    return onPath != null
        ? probe(onPath, "redis-server on PATH")
        : embedded("the embedded-redis jar (no redis-server on PATH)");
  }

  /** The binary {@code named} (a path, a command on PATH or {@value #EMBEDDED}) names. */
  static ServerBinary named(String named, String origin) {
    return named.equals(EMBEDDED)
        ? embedded(origin + " = " + EMBEDDED)
        : probe(locate(named, origin), origin);
  }

  private static ServerBinary embedded(String origin) {
    try {
      return probe(ExecutableProvider.newJarResourceProvider().get().toPath(), origin);
    } catch (IOException e) {
      throw new IllegalStateException(
          "no redis-server on PATH and none could be extracted from"
              + " the embedded-redis jar; install one (apt-get install redis-server) or set "
              + ENV,
          e);
    }
  }

  private static Path locate(String named, String origin) {
    Path direct = Path.of(named);
    if (named.contains(File.separator) && Files.isExecutable(direct)) {
      return direct;
    }
    Path found = named.contains(File.separator) ? null : onPath(named);
    if (found == null) {
      throw new IllegalStateException(
          origin
              + " names '"
              + named
              + "', which is not an executable"
              + " file nor a command on PATH; expected e.g. redis-server, valkey-server,"
              + " /usr/bin/valkey-server or "
              + EMBEDDED);
    }
    return found;
  }

  private static @Nullable Path onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Runs {@code <binary> --version}: "Redis server v=7.0.15 ..." or "Valkey server v=8.0.1 ...".
   */
  private static ServerBinary probe(Path binary, String origin) {
    String output;
    try {
      Process p =
          new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
      output =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .trim();
      p.waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not run " + binary + " --version (from " + origin + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing " + binary, e);
    }
    Matcher m = VERSION.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException(
          binary
              + " (from "
              + origin
              + ") is not a Redis or Valkey"
              + " server: --version printed '"
              + output
              + "'");
    }
    String product = m.group(1).toLowerCase(Locale.ROOT).equals("valkey") ? "Valkey" : "Redis";
    return new ServerBinary(binary, product, m.group(2), origin);
  }

  /** The executable. */
  public Path path() {
    return path;
  }

  /** "Redis" or "Valkey". */
  public String product() {
    return product;
  }

  /** The server's own version, e.g. "7.0.15" or "8.0.1". */
  public String version() {
    return version;
  }

  /** The major version, e.g. 7. */
  public int major() {
    return Integer.parseInt(version.substring(0, version.indexOf('.')));
  }

  /** E.g. "Valkey 8.0.1 (/usr/bin/valkey-server, from environment variable ...)". */
  public String describe() {
    return product + " " + version + " (" + path + ", from " + origin + ")";
  }

  /** E.g. "Valkey 8.0.1". */
  @Override
  public String toString() {
    return product + " " + version;
  }
}
